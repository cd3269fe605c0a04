#!/usr/bin/python3
"""Earshot's training corpus, deterministic by seed: synthetic speech of the command grammar and of open
English text in 20+ voices from five engines, real speech from ../shared/data/real-train/, augmented.

Splits (each written as shards `<split>-<k>.jsonl` + `.npz` fbank features, complete when `.done` exists):
- train: a stream of mixed utterances (command grammar, open text, real speech, by --mix) with
  training voices and names; it runs until --train utterances exist, so training can read new shards
  while this keeps writing (utterances are not repeated; nothing is stored in the repository);
- dev_cmd, dev_open, dev_real: training voices, held-out dev sentences, the dev slice of real speech;
- dev_names: the grammar in training voices with names of neither the train nor the test pools (grammar.dev_names),
  for tuning the biasing boost on names the model has never heard, as the test names;
- test_cmd: grammar with held-out names and held-out voices; test_open: held-out sentences and voices;
- test_real: the real-train test split, as recorded (no augmentation).
dev and test splits keep their audio as 16-bit WAV under audio/<split>/ for `earshot decode`.

Usage: /usr/bin/python3 training/corpus.py --out ~/.cache/earshot/corpus \\
           --text ../shared/data/text/sentences.txt --real ../shared/data/real-train
"""
import argparse
import json
import os
import sys
import time
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import augment  # noqa: E402
import grammar  # noqa: E402
import open_text  # noqa: E402
import real_speech  # noqa: E402
import voices  # noqa: E402

SR = 16000
# split -> (kind of utterance or "mix", held out voices/names/text, augmented)
SPLITS = {
    "train": ("mix", False, True),
    "dev_cmd": ("cmd", False, True),
    "dev_open": ("open", False, True),
    "dev_real": ("real", False, False),
    "dev_names": ("cmd", False, True),
    "test_cmd": ("cmd", True, True),
    "test_open": ("open", True, True),
    "test_real": ("real", True, False),
}
DEFAULT_MIX = {"cmd": 0.4, "open": 0.35, "real": 0.25}
PAUSE_FRACTION, PAUSE_S, LEAD_S, TRAIL_S = 0.25, (0.3, 0.9), (0.1, 0.8), (0.4, 1.0)


def split_id(split):
    return zlib.crc32(split.encode()) % 100000


class Sources:
    """Everything an utterance is drawn from, loaded once per process."""

    def __init__(self, seed, text_path, real_root, noise_dir):
        self.names = grammar.build_names(seed)
        for cat, pool in grammar.dev_names(seed, self.names).items():
            self.names[cat]["dev"] = pool
        self.engines = voices.available_engines()
        self.text = {p: open_text.load(text_path, p) for p in ("train", "dev", "test")} if text_path else {}
        self.real = {p: real_speech.load(real_root, p) for p in ("train", "dev", "test")} if real_root else {}
        self.noise = augment.NoiseBank(noise_dir) if noise_dir else None


def _kind(rng, split, mix):
    kind = SPLITS[split][0]
    if kind != "mix":
        return kind
    kinds = [k for k in mix if mix[k] > 0]
    p = np.array([mix[k] for k in kinds])
    return kinds[rng.choice(len(kinds), p=p / p.sum())]


def _assemble(rng, segs):
    """Lead silence, speech segments with pauses between them, trail silence."""
    lead, trail = rng.uniform(*LEAD_S), rng.uniform(*TRAIL_S)
    pieces = [np.zeros(int(lead * SR), np.float32)]
    pauses, pos = [], len(pieces[0])
    for i, s in enumerate(segs):
        if i > 0:
            gap = int(rng.uniform(*PAUSE_S) * SR)
            pauses.append([round(pos / SR, 4), round((pos + gap) / SR, 4)])
            pieces.append(np.zeros(gap, np.float32))
            pos += gap
        pieces.append(s)
        pos += len(s)
    start = len(pieces[0])
    pieces.append(np.zeros(int(trail * SR), np.float32))
    return np.concatenate(pieces), start, pos, pauses


def _synthetic(rng, src, kind, held, tmpdir, part, names_pool=None):
    if kind == "cmd":
        text, used = grammar.make_text(rng, src.names, held_out_names=held, pool=names_pool)
    else:
        pool = src.text[part]
        text, used = pool[rng.integers(len(pool))], []
    voice = voices.pick_voice(rng, held, src.engines)
    params = voices.voice_params(rng, voice)
    words = text.split()
    parts = [words]
    if len(words) >= 3 and rng.random() < PAUSE_FRACTION:
        k = int(rng.integers(1, len(words)))
        parts = [words[:k], words[k:]]
    segs = [augment.trim(voices.synth(" ".join(p), voice, params, tmpdir)) for p in parts]
    meta = {"voice": f"{voice[0]}:{voice[1]}", "names": used}
    return text, segs, meta


def make_utt(seed, split, idx, src, tmpdir, mix=DEFAULT_MIX):
    rng = np.random.default_rng([seed, split_id(split), idx])
    _, held, augmented = SPLITS[split]
    part = "train" if split == "train" else split.split("_")[0]
    kind = _kind(rng, split, mix)
    aug = {}
    if kind == "real":
        pool = src.real[part]
        row = pool[idx % len(pool)] if split != "train" else pool[rng.integers(len(pool))]
        x = real_speech.read(row["path"])
        if augmented:
            x, (a, b) = np.concatenate([np.zeros(int(rng.uniform(0, 0.5) * SR), np.float32), x,
                                        np.zeros(int(rng.uniform(0.2, 0.8) * SR), np.float32)]), (0, 0)
        text, pauses = row["text"], []
        meta = {"voice": f"real:{row['corpus']}:{row['speaker']}", "names": [], "source": row["audio"],
                "labels": "energy"}
        if augmented and rng.random() < augment.LEVELS["speed_fraction"]:
            f = float(rng.choice(augment.LEVELS["speed_factors"]))
            x = augment.speed(x, f)
            aug["speed"] = f
        a, b = real_speech.speech_bounds(x)
    else:
        text, segs, meta = _synthetic(rng, src, kind, held, tmpdir, part, "dev" if split == "dev_names" else None)
        if augmented and rng.random() < augment.LEVELS["speed_fraction"]:
            f = float(rng.choice(augment.LEVELS["speed_factors"]))
            segs = [augment.speed(s, f) for s in segs]
            aug["speed"] = f
        x, a, b, pauses = _assemble(rng, segs)
        x = x / (np.abs(x).max() + 1e-6) * rng.uniform(0.2, 0.9)
        meta["labels"] = "synthesis"
    if augmented:
        x, more = augment.augment(rng, x, (a, b), src.noise)
        aug.update(more)
    meta = {"text": text, "kind": kind, "speech_start": round(a / SR, 4), "speech_end": round(b / SR, 4),
            "pauses": pauses, **meta, "duration": round(len(x) / SR, 4), "aug": aug}
    return x.astype(np.float32), meta


def fbank(x):
    import torch
    import torchaudio
    return torchaudio.compliance.kaldi.fbank(
        torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))[None], num_mel_bins=80, frame_length=25,
        frame_shift=10, window_type="povey", preemphasis_coefficient=0.97, remove_dc_offset=True, dither=0.0,
        low_freq=20, high_freq=-400, snip_edges=False, energy_floor=0.0, use_energy=False,
        sample_frequency=16000).numpy()


def write_shard(out, seed, split, shard, start, count, src, save_audio=True, mix=DEFAULT_MIX):
    import soundfile as sf
    import torch
    torch.set_num_threads(1)
    base = os.path.join(out, f"{split}-{shard:04d}")
    if os.path.exists(base + ".done"):
        return
    tmpdir = os.path.join(out, "tmp", f"{split}-{shard:04d}")
    os.makedirs(tmpdir, exist_ok=True)
    adir = os.path.join(out, "audio", split)
    os.makedirs(adir, exist_ok=True)
    rows, feats = [], []
    for i in range(start, start + count):
        x, meta = make_utt(seed, split, i, src, tmpdir, mix)
        x = np.round(x * 32768).clip(-32768, 32767) / 32768.0  # features of the 16-bit audio a WAV holds
        rel = os.path.join("audio", split, f"{split}-{i:06d}.wav")
        if save_audio:
            sf.write(os.path.join(out, rel), x, SR, subtype="PCM_16")
        f = fbank(x)
        feats.append(f.astype(np.float16))
        rows.append({"id": f"{split}-{i:06d}", "audio": rel, **meta, "num_frames": len(f)})
    lens = np.array([len(f) for f in feats], np.int64)
    np.savez(base + ".tmp.npz", feats=np.concatenate(feats), lens=lens)
    os.replace(base + ".tmp.npz", base + ".npz")
    with open(base + ".jsonl.tmp", "w") as fh:
        for r in rows:
            fh.write(json.dumps(r) + "\n")
    os.replace(base + ".jsonl.tmp", base + ".jsonl")
    open(base + ".done", "w").close()


def recipe(args, src):
    return {"seed": args.seed, "counts": {s: getattr(args, s) for s in SPLITS}, "shard_size": args.shard_size,
            "mix": args.mix, "voices": voices.recipe(), "engines": sorted(src.engines),
            "text": {"path": os.path.basename(args.text or ""), "max_words": open_text.MAX_WORDS,
                     "holdout": "line % 100 == 0 test, == 1 dev",
                     "sentences": {p: len(v) for p, v in src.text.items()}},
            "real": {"manifest": "real-train/manifest.jsonl", "utterances": {p: len(v) for p, v in src.real.items()},
                     "hours": {p: round(sum(r["duration_s"] for r in v) / 3600, 3) for p, v in src.real.items()},
                     "dev_rule": real_speech.__doc__.strip().split("\n\n")[1]},
            "augmentation": augment.LEVELS, "pause_fraction": PAUSE_FRACTION, "pause_s": PAUSE_S,
            "lead_s": LEAD_S, "trail_s": TRAIL_S,
            "names_train": {k: len(v["train"]) for k, v in src.names.items()},
            "names_test": {k: len(v["test"]) for k, v in src.names.items()},
            "names_dev": {k: len(v["dev"]) for k, v in src.names.items() if "dev" in v}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--text", help="sentences.txt (one normalised sentence a line)")
    ap.add_argument("--real", help="real-train folder (manifest.jsonl, noise/)")
    ap.add_argument("--mix", type=json.loads, default=DEFAULT_MIX, help='train mix, e.g. \'{"cmd":0.4,"open":0.35,"real":0.25}\'')
    for s, n in {"train": 2_000_000, "dev_cmd": 200, "dev_open": 200, "dev_real": 200, "dev_names": 300, "test_cmd": 500,
                 "test_open": 500, "test_real": -1}.items():
        ap.add_argument(f"--{s.replace('_', '-')}", type=int, default=n, dest=s,
                        help="-1: the whole real test split" if s == "test_real" else None)
    ap.add_argument("--shard-size", type=int, default=250)
    args = ap.parse_args()
    if args.mix.get("open") and not args.text:
        ap.error("open text needs --text (or set its share to 0 in --mix)")
    if args.mix.get("real") and not args.real:
        ap.error("real speech needs --real (or set its share to 0 in --mix)")
    os.makedirs(args.out, exist_ok=True)
    src = Sources(args.seed, args.text, args.real, os.path.join(args.real, "noise") if args.real else None)
    if args.test_real < 0:
        args.test_real = len(src.real.get("test", []))
    with open(os.path.join(args.out, "names.json"), "w") as fh:
        json.dump(src.names, fh)
    with open(os.path.join(args.out, "recipe.json"), "w") as fh:
        json.dump(recipe(args, src), fh, indent=1)
    t0 = time.time()
    for split in [s for s in SPLITS if s != "train"] + ["train"]:  # dev and test first (small), then the train stream
        kind = SPLITS[split][0]
        if (kind == "open" and not src.text) or (kind == "real" and not src.real):
            continue
        n = getattr(args, split)
        for k, s in enumerate(range(0, n, args.shard_size)):
            write_shard(args.out, args.seed, split, k, s, min(args.shard_size, n - s), src,
                        save_audio=split != "train", mix=args.mix)
            print(f"{time.time() - t0:7.1f}s {split}-{k:04d}", flush=True)
    print("corpus done", flush=True)


if __name__ == "__main__":
    main()
