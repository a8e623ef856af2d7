#!/bin/bash
# The PyTorch side of the export check (not in CI: Debian's PyTorch is a large install).
# Exports every architecture, dense and pruned, with model-ops' logits on real Fashion-MNIST
# images, then builds each pruned nn.Module from its generated module, loads its safetensors
# weights in PyTorch and compares the logits (and runs onnx.checker on the ONNX files).
# Usage: bench/check-pytorch-export.sh [DIR], from the repository root; the table also goes to
# bench/last-run-pytorch-export.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/export-check}"
bash deploy/install-prerequisites.sh python3-torch python3-onnx
mvn -q -B -pl model-ops package -DskipTests
java -Xmx4g -cp "model-ops/target/classes:$(cat model-ops/target/classpath.txt)" \
    org.ocsp.modelops.cli.ModelOpsCli bench export-check --out "$out" >/dev/null
/usr/bin/python3 bench/pytorch_export_check.py "$out" 2>&1 | tee bench/last-run-pytorch-export.txt
