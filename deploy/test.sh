#!/usr/bin/env bash
# The whole test suite, as CI runs it. Installs its prerequisites first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-prerequisites.sh chromium
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
# -Pjob-jar,application-mode: also ApplicationModeITCase (deploy/application-mode.sh, a few minutes)
mvn -B -ntp -Pjob-jar,application-mode verify
# The engine tests once more with oneDNN dispatching as on an AVX2-only CPU (most x86-64 machines
# have no AVX-512), so a run on either kind of machine covers both. DispatchedIsaTest fails unless
# the kernels really are AVX2's: the second run cannot silently repeat the first.
echo "engine tests and the ONNX Runtime equality with ONEDNN_MAX_CPU_ISA=AVX2:"
ONEDNN_MAX_CPU_ISA=AVX2 mvn -B -ntp -pl model-ops surefire:test -Docsp.expect.isa=avx2 \
    -Dtest='org.ocsp.modelops.engine.*Test,org.ocsp.modelops.export.OnnxRuntimeEqualityTest' \
    -Dsurefire.reportsDirectory=target/surefire-reports-avx2
