"""The pruning study of bench/STUDY.md (issue 18): one factor at a time around a central setting
(cosine schedule, 30 epochs, 50 % FLOPs target, L2 saliency), each pruned run next to a dense run
of the same seed, data, epochs and schedule. Rows are appended to bench/study-rows.tsv as each run
ends, so the study resumes where it stopped (rows already there are skipped) and partial results
can be committed; the table in bench/STUDY.md is rewritten from the rows after every run.

Usage, from the repository root (builds model-ops first):
    nohup python3 bench/study.py [--only ID,ID] [--train-subset 8192] > bench/study.log 2>&1 &
"""
import argparse
import csv
import os
import re
import subprocess
import sys
import time

ROWS = "bench/study-rows.tsv"
STUDY = "bench/STUDY.md"
COLUMNS = ["id", "rules", "schedule", "epochs", "target", "saliency", "seed", "data", "dense_acc", "pruned_acc",
           "drop_pts", "t_star", "t_star_reason", "t_sl_start", "flops_reduction", "params_m", "dense_s", "pruned_s",
           "wall_ratio", "machine", "surgery_drop_pts", "channel_multiple"]

# The reference's thresholds, as a new user runs them (issue 18), with a hard cap at 60 % of the epochs.
REFERENCE = ["--reg-start", "AUTOMATIC", "--tau", "0.999", "--plateau-eps", "1e-4", "--lambda-start", "1e-4",
             "--lambda-delta", "1e-4", "--monitor-start", "2"]
# The ADAPTIVE rules at their declared defaults (no per-task tuning), the same cap as a safety net.
ADAPTIVE = ["--stability-rules", "ADAPTIVE", "--monitor-start", "2"]


def schedule_args(schedule, epochs):
    if schedule == "cosine":
        return ["--schedule", "COSINE"]
    if schedule == "step10":  # x0.1 every 10 epochs (the first reference rows ran it as MULTI_STEP milestones 10,20)
        return ["--schedule", "STEP", "--lr-gamma", "0.1", "--lr-step-epochs", "10"]
    raise ValueError(schedule)


def one_factor_rows(prefix, central):
    return [(prefix + "central-s1", central), (prefix + "central-s2", dict(central, seed=2)),
            (prefix + "central-s3", dict(central, seed=3)),
            (prefix + "cosine20", dict(central, epochs=20)), (prefix + "cosine60", dict(central, epochs=60)),
            (prefix + "target0.3", dict(central, target=0.3)), (prefix + "target0.7", dict(central, target=0.7)),
            (prefix + "taylor", dict(central, saliency="TAYLOR")), (prefix + "bn-scale", dict(central, saliency="BN_SCALE")),
            (prefix + "step10", dict(central, schedule="step10"))]


def grid():
    """In the order they run: the rows already measured first, so a resumed study goes on where it stopped."""
    central = dict(rules="reference", schedule="cosine", epochs=30, target=0.5, saliency="L2", seed=1,
                   channel_multiple=1, full=False)
    adaptive = dict(central, rules="adaptive")
    # The adaptive rows cheapest first for what they show (the 60-epoch row and the full set last).
    first = ["a-central-s1", "a-central-s2", "a-central-s3", "a-step10", "a-target0.3", "a-target0.7", "a-taylor",
             "a-bn-scale", "a-cosine20"]
    adaptive_rows = dict(one_factor_rows("a-", adaptive))
    return (one_factor_rows("", central) + [(rid, adaptive_rows[rid]) for rid in first]
            + [("a-cm8", dict(adaptive, channel_multiple=8)),
               ("a-step10-s2", dict(adaptive, schedule="step10", seed=2)),
               ("step10-s2", dict(central, schedule="step10", seed=2)),
               ("a-cosine60", adaptive_rows["a-cosine60"]), ("cm8", dict(central, channel_multiple=8)),
               ("a-central-s1-full", dict(adaptive, full=True)), ("central-s1-full", dict(central, full=True)),
               ("a-central-s4", dict(adaptive, seed=4)), ("central-s4", dict(central, seed=4)),
               ("a-central-s5", dict(adaptive, seed=5)), ("central-s5", dict(central, seed=5))])


def machine():
    info = open("/proc/cpuinfo").read()
    name = re.search(r"model name\s*:\s*(.*)", info).group(1).strip()
    return f"{name}, {os.cpu_count()} cores, {'AVX-512' if ' avx512f' in info else 'AVX2'}"


def train(args, row, prune):
    epochs = row["epochs"]
    cmd = ["java", "-Xmx6g", "-cp", CLASSPATH, "org.ocsp.modelops.cli.ModelOpsCli", "train", "--no-progress",
           "--arch", "fashion-vgg", "--epochs", str(epochs), "--seed", str(row["seed"]),
           "--target", str(row["target"]), "--saliency", row["saliency"],
           "--out", f"target/study/{row['seed']}-{time.time_ns()}.ocsp"] + schedule_args(row["schedule"], epochs)
    if args.train_subset and not row["full"]:
        cmd += ["--train-subset", str(args.train_subset), "--test-subset", str(args.test_subset)]
    if prune:
        cmd += (ADAPTIVE if row["rules"] == "adaptive" else REFERENCE) + ["--hard-cap", str(round(0.6 * epochs)),
                                                                          "--channel-multiple",
                                                                          str(row["channel_multiple"])]
    else:
        cmd += ["--no-prune"]
    start = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, OMP_NUM_THREADS="2"))
    seconds = time.monotonic() - start
    if out.returncode != 0:
        raise RuntimeError(" ".join(cmd) + "\n" + out.stdout[-2000:] + out.stderr[-2000:])
    text = out.stdout
    final = re.search(r"final: test accuracy ([\d.]+)%.*?FLOPs [\d.]+ M \(([\d.]+)% reduction\), params ([\d.]+) M", text)
    t_star = re.search(r"^t\* = epoch (\d+) \((\w+)\)", text, re.M)
    t_sl = re.search(r"^t_sl-start = epoch (\d+)", text, re.M)
    surgery = re.search(r"^removal at t\* = .*\(drop (-?[\d.]+) points", text, re.M)
    return dict(acc=float(final.group(1)), flops=float(final.group(2)), params=float(final.group(3)),
                t_star=t_star.group(1) if t_star else "-", reason=t_star.group(2) if t_star else "none",
                t_sl=t_sl.group(1) if t_sl else "-", surgery=surgery.group(1) if surgery else "-", seconds=seconds)


def load_rows():
    if not os.path.exists(ROWS):
        return []
    with open(ROWS) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def seed_summary(rows):
    """The central setting over its seeds, per rules: mean and spread (min..max) of the accuracy drop."""
    out = ("Central setting (cosine, 30 epochs, target 0.5, L2, subset) over seeds:\n\n"
           "| rules | seeds | dense acc (mean) | pruned acc (mean) | drop mean (pts) | drop min..max | t* |\n"
           "| --- | --- | --- | --- | --- | --- | --- |\n")
    for rules, prefix in (("reference", "central-s"), ("adaptive", "a-central-s")):
        group = [r for r in rows if r["id"].startswith(prefix) and not r["id"].endswith("-full")]
        if not group:
            continue
        drops = [float(r["drop_pts"]) for r in group]
        mean = lambda xs: sum(xs) / len(xs)
        out += (f"| {rules} | {', '.join(r['seed'] for r in group)} "
                f"| {mean([float(r['dense_acc']) for r in group]):.2f} "
                f"| {mean([float(r['pruned_acc']) for r in group]):.2f} | {mean(drops):.2f} "
                f"| {min(drops):.2f}..{max(drops):.2f} "
                f"| {', '.join(r['t_star'] + ' ' + r['t_star_reason'] for r in group)} |\n")
    return out


def write_table(rows):
    head = ("| id | rules | schedule | epochs | target | saliency | seed | data | dense acc | pruned acc | drop (pts) "
            "| t* (reason) | t_sl-start | drop at surgery (pts) | FLOPs cut | channel multiple | params (M) "
            "| wall pruned/dense |\n|" + " --- |" * 18 + "\n")
    body = "".join(f"| {r['id']} | {r['rules']} | {r['schedule']} | {r['epochs']} | {r['target']} | {r['saliency']} "
                   f"| {r['seed']} | {r['data']} | {r['dense_acc']} | {r['pruned_acc']} | {r['drop_pts']} "
                   f"| {r['t_star']} ({r['t_star_reason']}) | {r['t_sl_start']} | {r.get('surgery_drop_pts') or '-'} "
                   f"| {r['flops_reduction']} | {r.get('channel_multiple') or 1} "
                   f"| {r['params_m']} | {r['wall_ratio']} |\n" for r in rows)
    body += "\n" + seed_summary(rows)
    machines = sorted({r["machine"] for r in rows})
    text = open(STUDY).read() if os.path.exists(STUDY) else "# Study\n\n<!-- rows -->\n<!-- end of rows -->\n"
    start, end = text.index("<!-- rows -->"), text.index("<!-- end of rows -->")
    block = ("<!-- rows -->\n" + head + body + "\nmachine: " + "; ".join(machines) + "\n")
    open(STUDY, "w").write(text[:start] + block + text[end:])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--only", default="")
    p.add_argument("--train-subset", type=int, default=8192)
    p.add_argument("--test-subset", type=int, default=2000)
    args = p.parse_args()
    subprocess.run(["mvn", "-q", "-B", "-ntp", "-pl", "model-ops", "package", "-DskipTests"], check=True)
    global CLASSPATH
    CLASSPATH = "model-ops/target/classes:" + open("model-ops/target/classpath.txt").read().strip()
    os.makedirs("target/study", exist_ok=True)
    done = {r["id"] for r in load_rows()}
    dense_cache = {}
    for rid, row in grid():
        if rid in done or (args.only and rid not in args.only.split(",")):
            continue
        data = f"{args.train_subset}/{args.test_subset}" if args.train_subset and not row["full"] else "60000/10000"
        key = (row["seed"], row["epochs"], row["schedule"], data)
        if key not in dense_cache:
            dense_cache[key] = train(args, row, prune=False)
        dense = dense_cache[key]
        pruned = train(args, row, prune=True)
        record = dict(id=rid, rules=row["rules"], schedule=row["schedule"], epochs=row["epochs"],
                      target=row["target"], saliency=row["saliency"], seed=row["seed"], data=data,
                      dense_acc=f"{dense['acc']:.2f}", pruned_acc=f"{pruned['acc']:.2f}",
                      drop_pts=f"{dense['acc'] - pruned['acc']:.2f}", t_star=pruned["t_star"],
                      t_star_reason=pruned["reason"], t_sl_start=pruned["t_sl"],
                      flops_reduction=f"{pruned['flops'] / 100:.3f}", params_m=f"{pruned['params']:.3f}",
                      dense_s=f"{dense['seconds']:.0f}", pruned_s=f"{pruned['seconds']:.0f}",
                      wall_ratio=f"{pruned['seconds'] / dense['seconds']:.2f}", machine=machine(),
                      surgery_drop_pts=pruned["surgery"], channel_multiple=row["channel_multiple"])
        new = not os.path.exists(ROWS)
        with open(ROWS, "a", newline="") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS, delimiter="\t")
            if new:
                w.writeheader()
            w.writerow(record)
        write_table(load_rows())
        print(f"{rid}: {record}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
