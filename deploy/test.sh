#!/usr/bin/env bash
# The whole test suite, as CI runs it. Installs its prerequisites first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-prerequisites.sh chromium
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
mvn -B -ntp verify
