"""Copies the first N utterances of the corpus's held-out test splits (open text, commands) into a small
committed folder of Ogg Opus files with an Earshot manifest, so benchmarks run from a fresh clone without
the corpus cache or any TTS engine.

    /usr/bin/python3 training/bench_splits.py --corpus CORPUS --out bench/data/test-splits --n 100
"""
import argparse
import json
import os

import soundfile as sf


def rows_of(corpus, split):
    shards = sorted(f for f in os.listdir(corpus) if f.startswith(split + "-") and f.endswith(".jsonl"))
    for shard in shards:
        with open(os.path.join(corpus, shard)) as fh:
            for line in fh:
                yield json.loads(line)


def write_split(corpus, split, out, n):
    folder = os.path.join(out, split)
    os.makedirs(os.path.join(folder, "audio"), exist_ok=True)
    lines = []
    for i, r in zip(range(n), rows_of(corpus, split)):
        x, sr = sf.read(os.path.join(corpus, r["audio"]), dtype="float32")
        rel = os.path.join("audio", r["id"] + ".opus")
        sf.write(os.path.join(folder, rel), x, sr, format="OGG", subtype="OPUS")
        line = {"audio": rel, "text": r["text"], "speech_start": r["speech_start"], "speech_end": r["speech_end"],
                "voice": r["voice"]}
        if r.get("names"):
            line["context"] = r["names"]
        lines.append(json.dumps(line))
    tmp = os.path.join(folder, "manifest.jsonl.tmp")
    with open(tmp, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    os.replace(tmp, os.path.join(folder, "manifest.jsonl"))
    return len(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=100)
    a = ap.parse_args()
    for split in ("test_open", "test_cmd"):
        print(split, write_split(a.corpus, split, a.out, a.n))


if __name__ == "__main__":
    main()
