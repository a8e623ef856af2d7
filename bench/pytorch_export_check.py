"""The PyTorch side of the export check: every model `model-ops bench export-check` wrote is
built from its generated module, loaded from its safetensors weights, and run on the same
Fashion-MNIST images; its logits must equal model-ops' within the tolerance ONNX Runtime is held
to (1e-5 of the largest logit). When Debian's python3-onnx is there, each ONNX
file also passes onnx.checker. Usage: python3 bench/pytorch_export_check.py DIR"""
import importlib.util
import sys

import torch

TOLERANCE = 1e-5


def module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def main(directory):
    try:
        import onnx
    except ImportError:
        onnx = None
    torch.set_num_threads(2)
    names = open(f"{directory}/index.txt").read().split()
    failed = 0
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    isa = "AVX-512" if " avx512f" in open("/proc/cpuinfo").read() else "AVX2 (no AVX-512)"
    print(f"machine: {cpu}, {isa}")
    print(f"torch {torch.__version__}; onnx.checker: {'onnx ' + onnx.__version__ if onnx else 'not installed'}")
    print(f"{'model':34} {'params':>10} {'max |logit|':>12} {'max diff':>10} {'relative':>9} {'onnx':>6}  result")
    for name in names:
        m = module(f"{directory}/{name}.py", name)
        model = m.load(f"{directory}/{name}.safetensors")
        check, _ = m.read_safetensors(f"{directory}/{name}.check.safetensors")
        with torch.no_grad():
            logits = model(check["input"])
        expected = check["logits"]
        diff = (logits - expected).abs().max().item()
        scale = expected.abs().max().item()
        ok = scale > 0 and diff <= TOLERANCE * scale
        checked = "-"
        if onnx is not None:
            onnx.checker.check_model(onnx.load(f"{directory}/{name}.onnx"))
            checked = "ok"
        failed += 0 if ok else 1
        params = sum(p.numel() for p in model.parameters())
        print(f"{name:34} {params:>10} {scale:>12.4g} {diff:>10.3g} {diff / scale:>9.2g} {checked:>6}  {'ok' if ok else 'MISMATCH'}")
    print(f"{len(names) - failed} of {len(names)} models give model-ops' logits in PyTorch")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
