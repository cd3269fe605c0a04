#!/bin/sh
# Installs what training/ needs (Debian packages; scripts run with /usr/bin/python3, not a pyenv shim).
set -e
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
  python3-torch python3-torchaudio python3-onnx python3-numpy python3-soundfile \
  espeak-ng flite sox libopenblas0-pthread
# onnxruntime-node and sherpa-onnx-node (parity/int8/sherpa checks) come from the repo's npm install.
