#!/usr/bin/env bash
# The main job on one machine. Until the streaming job lands this runs the complete one-cycle
# OCSPruner offline (`model-ops train`) on real Fashion-MNIST with settings that finish in a few
# minutes on 2 cores. Any extra arguments go to `model-ops train` (see --help), for example:
#   deploy/demo.sh --train-subset 60000 --test-subset 10000 --epochs 30   # the full data, longer
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-prerequisites.sh
mvn -q -B -DskipTests -pl model-ops -am install
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
exec java -cp "model-ops/target/model-ops-0.1.0-SNAPSHOT.jar:$(cat model-ops/target/classpath.txt)" \
  org.ocsp.modelops.cli.ModelOpsCli train \
  --train-subset 6000 --test-subset 2000 --epochs 10 --lr 0.05 \
  --monitor-start 1 --reg-start FIXED --sl-start 2 --lambda-start 0.02 --lambda-delta 0.02 \
  --tau 0.99 --hard-cap 6 --target 0.5 "$@"
