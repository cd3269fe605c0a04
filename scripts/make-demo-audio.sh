#!/usr/bin/env bash
# Makes the demo recordings in resources/demo/ with espeak-ng and sox (Debian packages).
# The WAVs are committed, so the app works without espeak; rerun this only to change them.
# Each utterance gets 0.5 s of leading and 0.8 s of trailing silence, so the speech
# start/end labels in manifest.jsonl are exact: they are measured from the padded files.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/resources/demo"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# name|voice|speed|ssml text
utterances=(
  "call-anna|en-us|150|call anna mitchell on her mobile"
  "kitchen-lights|en-gb|160|turn on the kitchen lights"
  "timer-pause|en-us+f3|145|set a timer for <break time=\"800ms\"/> twenty minutes"
  "weather-paris|en-gb-x-rp|155|what is the weather in paris tomorrow"
  "message-priya|en-us+m3|150|send a message to priya ramanathan saying i am running late"
)

manifest="$tmp/manifest.jsonl"
: > "$manifest"
for row in "${utterances[@]}"; do
  IFS='|' read -r name voice speed text <<<"$row"
  espeak-ng -v "$voice" -s "$speed" -m -w "$tmp/$name.raw.wav" "<speak>$text</speak>"
  # Trim espeak's own edge silence so the labels below are exact, then pad known silence.
  sox "$tmp/$name.raw.wav" -r 16000 -c 1 -b 16 "$tmp/$name.trim.wav" silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse
  speech=$(soxi -D "$tmp/$name.trim.wav")
  sox "$tmp/$name.trim.wav" "$out/$name.wav" pad 0.5 0.8
  plain=$(echo "$text" | sed -E 's/<[^>]+>//g; s/  +/ /g')
  end=$(awk -v s="$speech" 'BEGIN { printf "%.3f", 0.5 + s }')
  printf '{"audio":"%s.wav","text":"%s","speech_start":0.5,"speech_end":%s,"context":["anna mitchell","priya ramanathan","kitchen lights"]}\n' "$name" "$plain" "$end" >> "$manifest"
done
mv "$manifest" "$out/manifest.jsonl"
echo "wrote $(ls "$out"/*.wav | wc -l) recordings to $out"
