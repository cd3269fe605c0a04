#!/bin/sh
# CI smoke test (< 2 min on 2 cores): synthesise a tiny corpus, train a tiny model a few steps,
# export fp32 + int8, check torch/onnxruntime-node parity and that sherpa-onnx-node loads and decodes it.
# usage: training/smoke.sh OUT_DIR   (writes only there and in a temp work dir that is removed)
set -e
OUT="${1:?usage: training/smoke.sh OUT_DIR}"
cd "$(dirname "$0")/.."
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
exec /usr/bin/python3 training/train.py --smoke --out "$OUT" --fixture-wavs
