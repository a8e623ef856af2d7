#!/usr/bin/env bash
# The main job on one machine: an in-process Kafka broker and a Flink mini-cluster (RocksDB),
# Fashion-MNIST published as a stream, one pruning run with live progress, the decision
# timeline and an HTML audit report at the end. Takes a few minutes with the defaults; extra
# arguments go to the `demo` command (see --help), for example for a longer run:
#   bash deploy/demo.sh --train-subset 60000 --test-subset 10000 --epochs 30
# `bash deploy/demo.sh --offline` runs the same algorithm, with the same preset (RunPreset.DEMO),
# without Flink/Kafka (`model-ops train --preset demo`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-prerequisites.sh
mvn -q -B -DskipTests install
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
# Idle OpenMP workers sleep instead of spinning: the trainer shares the cores with Kafka and Flink
# threads, and spinning took their CPU (bench/RESULTS.md, "Streaming job vs bare loop").
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"
if [ "${1:-}" = "--offline" ]; then
  shift
  exec java -cp "model-ops/target/model-ops-0.1.0-SNAPSHOT.jar:$(cat model-ops/target/classpath.txt)" \
    org.ocsp.modelops.cli.ModelOpsCli train --preset demo "$@"
fi
exec java -cp "flink-job/target/flink-job-0.1.0-SNAPSHOT.jar:$(cat flink-job/target/classpath.txt)" \
  org.ocsp.flink.cli.OcspCli demo "$@"
