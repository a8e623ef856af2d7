#!/usr/bin/env bash
# The job jar on a real Flink 2.2 cluster in application mode, with an external Kafka broker,
# on one machine and without Docker. Separate JVMs, as in a real deployment:
#   Kafka        org.ocsp.deploy.KafkaBrokerMain (single-node KRaft broker, its own JVM)
#   JobManager   org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint
#                (what Flink's bin/standalone-job.sh starts), job jar in usrlib/
#   TaskManager  org.apache.flink.runtime.taskexecutor.TaskManagerRunner
# Then, with the operator CLI against the broker: topics, run start (a short run), publish a
# Fashion-MNIST subset, wait for the run's ModelPublished, audit verify and audit replay; and
# from the JobManager's REST API: job state, completed checkpoints, state backend. Last, the job
# is stopped with a savepoint through the REST API: it FINISHES and the application cluster's
# JobManager shuts itself down, as application mode does.
#
# Usage (from anywhere):
#   deploy/application-mode.sh [--no-build] [--keep-running] [--epochs N] [--train-subset N]
#                              [--test-subset N] [--timeout-minutes N]
# Everything lands in deploy/flink-home/target/: flink-home/ (lib/ from Maven Central, conf/,
# usrlib/) and application-mode/ (logs, broker data, checkpoints, models, REST answers,
# summary.properties). Each run starts from a clean application-mode/ dir; processes it started
# are stopped on exit (also on failure or Ctrl-C) unless --keep-running (then on Ctrl-C).
# Exit code 0 only if the run completed, audit verify and replay passed, the job was RUNNING, at
# least one RocksDB checkpoint completed and the stop with a savepoint finished the application.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
here=$repo/deploy/flink-home
flink_home=$here/target/flink-home
work=$here/target/application-mode
logs=$work/log

build=true
keep_running=false
epochs=4
train_subset=1024
test_subset=256
timeout_minutes=20
run_id=appmode-run

while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=false ;;
    --keep-running) keep_running=true ;;
    --epochs) epochs=$2; shift ;;
    --train-subset) train_subset=$2; shift ;;
    --test-subset) test_subset=$2; shift ;;
    --timeout-minutes) timeout_minutes=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '[application-mode %s] %s\n' "$(date +%T)" "$*"; }
fail() { say "FAILED: $*"; say "logs: $logs"; exit 1; }

deadline_after() { echo $(( $(date +%s) + $1 )); }
# until DEADLINE_EPOCH WHAT CMD...: polls CMD every 2 s until it succeeds; fails at the deadline.
until_deadline() {
  local deadline=$1 what=$2
  shift 2
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "timed out waiting for $what"
    sleep 2
  done
}

# ---------------------------------------------------------------------------------------------
# Processes: remembered by pid file, stopped on exit. A pid file left by a run that was killed
# hard is honoured only if that pid still runs a JVM of this work dir (pids get reused).
pids=()
stop_pid() {
  local pid=$1 name=$2 deadline
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  deadline=$(deadline_after 30)
  while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name (pid $pid) did not stop within 30 s: killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi
}
cleanup() {
  local i
  for (( i=${#pids[@]}-1; i>=0; i-- )); do
    stop_pid "${pids[$i]%%:*}" "${pids[$i]#*:}"
  done
  [ ${#pids[@]} -eq 0 ] || say "stopped; logs are in $logs"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_stale() {
  local f pid
  for f in "$work"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$work"; then
      say "stopping $(basename "$f" .pid) (pid $pid) left by an earlier run"
      stop_pid "$pid" "$(basename "$f" .pid)"
    fi
  done
}

# start NAME CMD...: starts CMD in the background with stdout/stderr in log/NAME.out.
start() {
  local name=$1
  shift
  "$@" > "$logs/$name.out" 2>&1 &
  local pid=$!
  echo "$pid" > "$work/$name.pid"
  pids+=("$pid:$name")
  say "$name started (pid $pid), output in $logs/$name.out"
}
alive() { kill -0 "$1" 2>/dev/null; }

# A port nothing listens on (the JobManager's RPC and REST ports must be known before it starts).
free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 30000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# ---------------------------------------------------------------------------------------------
bash "$repo/deploy/install-prerequisites.sh" jq curl

if $build; then
  say "building the job jar (mvn -Pjob-jar) and the Flink home's lib/ (Maven Central) ..."
  mvn -q -B -ntp -f "$repo/pom.xml" -pl flink-job -am package -DskipTests -Pjob-jar
fi
mvn -q -B -ntp -f "$here/pom.xml" package
job_jars=("$repo"/flink-job/target/flink-job-*-job.jar)
[ ${#job_jars[@]} = 1 ] && [ -f "${job_jars[0]}" ] || fail "need exactly one flink-job/target/flink-job-*-job.jar (found: ${job_jars[*]}): run without --no-build"
job_jar=${job_jars[0]}
cli_jar=${job_jar%-job.jar}.jar
[ -f "$cli_jar" ] && [ -f "$repo/flink-job/target/classpath.txt" ] || fail "$cli_jar or flink-job/target/classpath.txt is missing: run without --no-build"

# Flink home: lib/ from Maven; conf/ = the single-machine stack's config.yaml (ports, paths and
# memory are passed as -D below); usrlib/ = the job jar, exactly as built (application mode: the
# entry point puts usrlib/ on the user class path).
mkdir -p "$flink_home/conf" "$flink_home/usrlib" "$flink_home/plugins" "$flink_home/log"
cp "$repo/deploy/flink-conf/config.yaml" "$flink_home/conf/config.yaml"
cp "$here/log4j.properties" "$flink_home/conf/log4j.properties"
rm -f "$flink_home"/usrlib/*.jar
cp "$job_jar" "$flink_home/usrlib/"

mkdir -p "$work"
stop_stale
rm -rf "$work"
mkdir -p "$logs" "$work/rest" "$work/models"

export FLINK_HOME=$flink_home FLINK_CONF_DIR=$flink_home/conf FLINK_LIB_DIR=$flink_home/lib \
  FLINK_PLUGINS_DIR=$flink_home/plugins FLINK_OPT_DIR=$flink_home/opt
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
# As for the demo: idle OpenMP workers sleep, the TaskManager's other threads need the cores.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}

cli_cp="$cli_jar:$(cat "$repo/flink-job/target/classpath.txt")"
ocsp() { java -cp "$cli_cp" org.ocsp.flink.cli.OcspCli "$@"; }

# ---------------------------------------------------------------------------------------------
# 1. The external Kafka broker, in its own JVM.
start kafka java -Xmx1g -cp "$cli_cp" org.ocsp.deploy.KafkaBrokerMain --data-dir "$work/kafka"
kafka_pid=${pids[-1]%%:*}
broker_ready() {
  alive "$kafka_pid" || fail "the Kafka broker exited: $(tail -5 "$logs/kafka.out")"
  grep -q '^bootstrap.servers=' "$logs/kafka.out"
}
until_deadline "$(deadline_after 120)" "the Kafka broker" broker_ready
bootstrap=$(sed -n 's/^bootstrap.servers=//p' "$logs/kafka.out")
say "Kafka broker ready at $bootstrap"

# 2. Topics and the run, with the operator CLI (the run joins the stream at its next epoch).
ocsp topics --bootstrap-servers "$bootstrap" | tee "$logs/topics.out"
# The demo's preset (RunPreset.DEMO: the same thresholds as `ocsp demo` and `demo.sh --offline`), fewer epochs.
ocsp run start --bootstrap-servers "$bootstrap" --run-id "$run_id" --arch fashion-vgg --dataset fashion-mnist \
  --preset demo --target 0.5 --epochs "$epochs" | tee "$logs/run-start.out"

# 3. The Flink cluster in application mode.
rpc_port=$(free_port)
rest_port=$(free_port)
while [ "$rest_port" = "$rpc_port" ]; do rest_port=$(free_port); done
dynamic=(-D "jobmanager.rpc.port=$rpc_port" -D "rest.port=$rest_port"
  -D "execution.checkpointing.dir=file://$work/checkpoints"
  -D "execution.checkpointing.savepoint-dir=file://$work/savepoints"
  -D "io.tmp.dirs=$work/tmp")
mkdir -p "$work/tmp"

# Flink's own JVM options (env.java.opts.*), read from config.yaml as bin/config.sh would.
java_opts() { awk -v key="$1:" '$1 == key { sub(/^[^:]*: */, ""); print; exit }' "$flink_home/conf/config.yaml"; }
opts_all=$(java_opts all)
opts_tm=$(java_opts taskmanager)
[ -n "$opts_all" ] || fail "env.java.opts.all not found in config.yaml"

# Memory: the JVM sizes and the derived memory options come from Flink's BashJavaUtils, as the
# distribution's scripts do it.
resource_params() {
  java -cp "$flink_home/lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" \
    --configDir "$flink_home/conf" "${dynamic[@]}" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}
mapfile -t jm_params < <(resource_params GET_JM_RESOURCE_PARAMS)
mapfile -t tm_params < <(resource_params GET_TM_RESOURCE_PARAMS)
[ ${#jm_params[@]} -eq 2 ] && [ ${#tm_params[@]} -eq 2 ] || fail "BashJavaUtils gave no memory settings"

job_args=(--bootstrap-servers "$bootstrap" --model-dir "$work/models"
  --checkpoint-dir "file://$work/checkpoints" --checkpoint-interval-ms 2000 --create-topics=false)
# shellcheck disable=SC2086 # the option strings are lists of JVM options
start jobmanager java ${jm_params[0]} $opts_all -Dlog.file="$logs/jobmanager.log" \
  -Dlog4j.configurationFile="file:$flink_home/conf/log4j.properties" -cp "$flink_home/lib/*" \
  org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint \
  --configDir "$flink_home/conf" "${dynamic[@]}" ${jm_params[1]} \
  --job-classname org.ocsp.flink.job.TrainerJobMain "${job_args[@]}"
jm_pid=${pids[-1]%%:*}
# shellcheck disable=SC2086
start taskmanager java ${tm_params[0]} $opts_all $opts_tm -Dlog.file="$logs/taskmanager.log" \
  -Dlog4j.configurationFile="file:$flink_home/conf/log4j.properties" -cp "$flink_home/lib/*" \
  org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
  --configDir "$flink_home/conf" "${dynamic[@]}" ${tm_params[1]}
tm_pid=${pids[-1]%%:*}

rest=http://localhost:$rest_port
say "JobManager REST API: $rest"
job_running() {
  alive "$jm_pid" || fail "the JobManager exited: $(grep -m3 -E 'ERROR|Exception' "$logs/jobmanager.log")"
  alive "$tm_pid" || fail "the TaskManager exited: $(grep -m3 -E 'ERROR|Exception' "$logs/taskmanager.log")"
  curl -sf "$rest/jobs/overview" > "$work/rest/jobs-overview.json" 2>/dev/null || return 1
  job_id=$(jq -r '.jobs[0].jid // empty' "$work/rest/jobs-overview.json")
  [ "$(jq -r '.jobs[0].state // empty' "$work/rest/jobs-overview.json")" = RUNNING ] || return 1
  # RUNNING is reported while tasks are still deploying: wait until every task runs.
  curl -sf "$rest/jobs/$job_id" > "$work/rest/job.json" || return 1
  [ "$(jq '[.vertices[] | select(.status != "RUNNING")] | length' "$work/rest/job.json")" = 0 ]
}
until_deadline "$(deadline_after 180)" "the job to run on the cluster" job_running
say "job $job_id RUNNING on the cluster (every task RUNNING)"

# 4. The stream: one more epoch than the run plans (the run may join at the second one).
ocsp publish --bootstrap-servers "$bootstrap" --train-subset "$train_subset" --test-subset "$test_subset" \
  --epochs $(( epochs + 1 )) | tee "$logs/publish.out"

# 5. Wait for ModelPublished: audit replay rebuilds the pruned architecture from the log and
# checks the published model, and fails while the log names no published model yet.
model_published() {
  alive "$tm_pid" || fail "the TaskManager exited: $(grep -m3 -E 'ERROR|Exception' "$logs/taskmanager.log")"
  [ "$(curl -sf "$rest/jobs/$job_id" | jq -r .state)" = RUNNING ] || fail "the job left RUNNING: $(curl -s "$rest/jobs/$job_id/exceptions" | head -c 2000)"
  ocsp audit replay --bootstrap-servers "$bootstrap" --run "$run_id" > "$logs/audit-replay.out" 2>&1
}
say "waiting (at most $timeout_minutes min) for the run's ModelPublished ..."
until_deadline "$(deadline_after $(( timeout_minutes * 60 )))" "ModelPublished of $run_id" model_published
say "ModelPublished is in the log; audit replay passed:"
cat "$logs/audit-replay.out"

ocsp audit timeline --bootstrap-servers "$bootstrap" --run "$run_id" | tee "$logs/audit-timeline.out"
verify_rc=0
ocsp audit verify --bootstrap-servers "$bootstrap" --run "$run_id" > "$logs/audit-verify.out" 2>&1 || verify_rc=$?
cat "$logs/audit-verify.out"
[ "$verify_rc" = 0 ] || fail "audit verify exited with $verify_rc"

# 6. What the cluster says: job state, checkpoints, state backend.
curl -sf "$rest/jobs/$job_id" > "$work/rest/job.json"
curl -sf "$rest/jobs/$job_id/checkpoints" > "$work/rest/checkpoints.json"
curl -sf "$rest/jobs/$job_id/checkpoints/config" > "$work/rest/checkpoints-config.json"
curl -sf "$rest/taskmanagers" > "$work/rest/taskmanagers.json"
job_state=$(jq -r .state "$work/rest/job.json")
completed=$(jq -r .counts.completed "$work/rest/checkpoints.json")
backend=$(jq -r .state_backend "$work/rest/checkpoints-config.json")
latest=$(jq -r '.latest.completed.external_path // empty' "$work/rest/checkpoints.json")
state_size=$(jq -r '.latest.completed.state_size // 0' "$work/rest/checkpoints.json")
checkpointed_size=$(jq -r '.latest.completed.checkpointed_size // 0' "$work/rest/checkpoints.json")
tms=$(jq '.taskmanagers | length' "$work/rest/taskmanagers.json")
# Incremental RocksDB checkpoints upload RocksDB's own SST files into the shared/ directory.
shared_files=$(find "$work/checkpoints/$job_id/shared" -type f 2>/dev/null | wc -l)
summary() { echo "$1=$2" >> "$work/summary.properties"; }
: > "$work/summary.properties"
summary job.id "$job_id"
summary job.state "$job_state"
summary taskmanagers "$tms"
summary checkpoints.completed "$completed"
summary checkpoints.stateBackend "$backend"
summary checkpoints.latest "$latest"
summary checkpoints.latest.stateSize "$state_size"
summary checkpoints.latest.checkpointedSize "$checkpointed_size"
summary checkpoints.sharedFiles "$shared_files"
summary audit.verify.exitCode "$verify_rc"
summary run.id "$run_id"
summary model "$work/models/$run_id/model.ocsp"
summary bootstrap.servers "$bootstrap"
summary rest "$rest"
[ "$job_state" = RUNNING ] || fail "job state $job_state, expected RUNNING"
[ "$completed" -ge 1 ] || fail "no completed checkpoint"
[ "$backend" = EmbeddedRocksDBStateBackend ] || fail "state backend $backend, expected EmbeddedRocksDBStateBackend"
say "OK: run $run_id completed on the application cluster (REST $rest, Kafka $bootstrap)"

if $keep_running; then
  say "cluster and broker keep running; Ctrl-C stops them"
  while alive "$jm_pid"; do sleep 5; done
  exit 0
fi

# 7. Stop with a savepoint (REST), as an operator would before an upgrade: the job FINISHES and,
# in application mode, the JobManager process ends by itself.
curl -sf -X POST -H 'Content-Type: application/json' \
  -d "{\"targetDirectory\": \"file://$work/savepoints\", \"drain\": false}" \
  "$rest/jobs/$job_id/stop" > "$work/rest/stop.json" || fail "POST $rest/jobs/$job_id/stop was refused"
trigger=$(jq -r '."request-id"' "$work/rest/stop.json")
savepoint_done() {
  curl -sf "$rest/jobs/$job_id/savepoints/$trigger" > "$work/rest/savepoint.json" || return 1
  [ "$(jq -r .status.id "$work/rest/savepoint.json")" = COMPLETED ]
}
say "stopping the job with a savepoint ..."
until_deadline "$(deadline_after 120)" "the savepoint" savepoint_done
savepoint=$(jq -r '.operation.location // empty' "$work/rest/savepoint.json")
[ -n "$savepoint" ] || fail "stop with savepoint failed: $(jq -c '.operation' "$work/rest/savepoint.json" | head -c 2000)"
jm_gone() { ! alive "$jm_pid"; }
until_deadline "$(deadline_after 120)" "the JobManager to shut down after the application finished" jm_gone
jm_rc=0
wait "$jm_pid" || jm_rc=$?
final_state=$(sed -n 's/.*Job ocsp-streaming-trainer ([0-9a-f]*) switched from state [A-Z]* to \([A-Z]*\)\..*/\1/p' \
  "$logs/jobmanager.log" | tail -1)
summary savepoint "$savepoint"
summary job.finalState "$final_state"
summary jobmanager.exitCode "$jm_rc"
say "summary ($work/summary.properties):"
sed 's/^/  /' "$work/summary.properties"
[ "$final_state" = FINISHED ] || fail "the job ended $final_state, expected FINISHED after stop with savepoint"
[ "$jm_rc" = 0 ] || fail "the JobManager exited with $jm_rc"
say "OK: stopped with savepoint $savepoint; the application cluster shut down; logs: $logs"
