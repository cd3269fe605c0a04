"""Real speech from ../shared/data/real-train/ (manifest.jsonl: audio, text, corpus, speaker, split).

Training uses the manifest's train split only, less a dev slice: whole speakers of the corpora with many
speakers (an4, speech_commands) whose stable hash falls in the dev bucket, and every 20th utterance of the
single-speaker corpora. The manifest's test split is a test set and never trained on.
"""
import json
import os
import zlib

import numpy as np

SR = 16000
MANY_SPEAKERS = {"an4", "speech_commands"}


def _bucket(s, n):
    return zlib.crc32(s.encode()) % n


def part_of(row, index):
    if row["split"] == "test":
        return "test"
    if row["corpus"] in MANY_SPEAKERS:
        return "dev" if _bucket(row["speaker"], 10) == 0 else "train"
    return "dev" if index % 20 == 0 else "train"


def load(root, part):
    """Rows of one part ("train", "dev", "test"), with absolute audio paths."""
    rows = []
    with open(os.path.join(root, "manifest.jsonl"), encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            r = json.loads(line)
            if part_of(r, i) == part:
                rows.append({**r, "path": os.path.join(root, r["audio"])})
    return rows


def read(path):
    import soundfile as sf
    x, sr = sf.read(path, dtype="float32")
    if x.ndim > 1:
        x = x.mean(1)
    if sr != SR:
        import torch
        import torchaudio
        x = torchaudio.functional.resample(torch.from_numpy(x), sr, SR).numpy()
    return x


def speech_bounds(x):
    """(start, end) in samples of the region above 1/30 of the peak 10 ms energy (-30 dB), widened by
    50 ms: an estimate, recorded as such (labels: "energy"), used for the silence and end-of-query targets."""
    hop = SR // 100
    n = len(x) // hop
    if n == 0:
        return 0, len(x)
    e = (x[: n * hop].reshape(n, hop) ** 2).mean(1)
    on = np.nonzero(e > e.max() / 1000.0)[0]
    if len(on) == 0:
        return 0, len(x)
    return max(0, on[0] * hop - SR // 20), min(len(x), (on[-1] + 1) * hop + SR // 20)
