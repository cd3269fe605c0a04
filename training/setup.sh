#!/bin/sh
# Installs what training/ needs from Debian (scripts run with /usr/bin/python3, not a pyenv shim).
# SVOX pico (libttspico-utils, non-free) and RHVoice (rhvoice-english, non-free) come from Debian's
# contrib/non-free components, which a default Debian 12 machine does not list: they are fetched through
# a private apt configuration in a temporary folder, so the system's apt sources stay as they are.
set -e
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
  python3-torch python3-torchaudio python3-onnx python3-numpy python3-soundfile python3-sentencepiece \
  espeak-ng flite sox libopenblas0-pthread \
  festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts

priv="$(mktemp -d)"
trap 'rm -rf "$priv"' EXIT
chmod 755 "$priv"  # apt downloads as the _apt user
# the mirror the system already uses, read from its own sources (deb822 or one-line format)
mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)"
[ -n "$mirror" ] || mirror="$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)"
[ -n "$mirror" ] || { echo "setup.sh: no Debian mirror found in /etc/apt" >&2; exit 1; }
suite="$(. /etc/os-release && echo "$VERSION_CODENAME")"
mkdir -p "$priv/lists/partial" "$priv/archives/partial"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite contrib non-free" > "$priv/extra.list"
cat > "$priv/apt.conf" <<CONF
Dir::Etc::SourceList "$priv/extra.list";
Dir::Etc::SourceParts "/etc/apt/sources.list.d";
Dir::State::Lists "$priv/lists";
Dir::Cache::Archives "$priv/archives";
CONF
$SUDO env APT_CONFIG="$priv/apt.conf" apt-get update
# festvox-rablpc16k is left out: its OALD lexicon is for non-commercial use only
$SUDO env APT_CONFIG="$priv/apt.conf" DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  libttspico-utils rhvoice rhvoice-english
# onnxruntime-node and sherpa-onnx-node (parity/int8/sherpa checks) come from the repo's npm install.
