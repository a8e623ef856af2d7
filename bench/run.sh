#!/bin/bash
# Builds model-ops (no tests) and runs `model-ops bench` with the given options.
# Usage: bench/run.sh [bench options], from the repository root. Output also goes to bench/last-run.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-prerequisites.sh python3-torch
mvn -q -B -pl model-ops package -DskipTests
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
java -Xmx4g -cp "model-ops/target/classes:$(cat model-ops/target/classpath.txt)" \
    org.ocsp.modelops.cli.ModelOpsCli bench "$@" 2>&1 | tee bench/last-run.txt
