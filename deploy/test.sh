#!/usr/bin/env bash
# The whole test suite, as CI runs it. Installs its prerequisites first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-prerequisites.sh chromium
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
# -Pjob-jar,application-mode: also ApplicationModeITCase (deploy/application-mode.sh, a few minutes)
mvn -B -ntp -Pjob-jar,application-mode verify
