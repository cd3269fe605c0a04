"""Builds a small streaming transducer with icefall's own recipe code, trains it briefly on
real speech, and exports it with the recipe's own ONNX exporter (see README.md here).

  /usr/bin/python3 scripts/transducer-fixtures/build.py RECIPE --icefall DIR --out DIR [--minutes M]

RECIPE is one of RECIPES below. The checkpoint is written where the exporter looks for it
(exp/epoch-1.pt) and the exporter runs as a separate process through run_export.py.
"""
import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Model sizes (icefall argument names) small enough for a fixture of a few MB. The
# `params` entries are fixed in the recipe's get_params(); run_export.py overrides them the
# same way (EARSHOT_PARAMS), since the exporter has no flags for them.
RECIPES = {
    "zipformer2": {
        "dir": "zipformer",
        "export": "export-onnx-streaming.py",
        "args": [
            "--num-encoder-layers", "1,1,1,1",
            "--downsampling-factor", "1,2,4,2",
            "--feedforward-dim", "128,128,128,128",
            "--num-heads", "2,2,2,2",
            "--encoder-dim", "64,80,80,64",
            "--encoder-unmasked-dim", "48,64,64,48",
            "--query-head-dim", "16",
            "--value-head-dim", "8",
            "--pos-head-dim", "4",
            "--pos-dim", "16",
            "--cnn-module-kernel", "15,7,7,15",
            "--decoder-dim", "96",
            "--joiner-dim", "96",
            "--causal", "1",
            "--chunk-size", "16",
            "--left-context-frames", "64",
        ],
        "export_args": ["--enable-int8-quantization", "0"],
        "params": {},
    },
    "zipformer": {
        "dir": "pruned_transducer_stateless7_streaming",
        "export": "export-onnx.py",
        "args": [
            "--num-encoder-layers", "1,1,1,1,1",
            "--feedforward-dims", "128,128,128,128,128",
            "--nhead", "2,2,2,2,2",
            "--encoder-dims", "64,64,64,64,64",
            "--attention-dims", "32,32,32,32,32",
            "--encoder-unmasked-dims", "48,48,48,48,48",
            "--zipformer-downsampling-factors", "1,2,4,8,2",
            "--cnn-module-kernels", "15,15,7,7,15",
            "--decoder-dim", "96",
            "--joiner-dim", "96",
            "--short-chunk-size", "16",
            "--num-left-chunks", "4",
            "--decode-chunk-len", "32",
        ],
        "export_args": [],
        "params": {},
    },
    "lstm": {
        "dir": "lstm_transducer_stateless2",
        "export": "export-onnx.py",
        "args": ["--num-encoder-layers", "2", "--encoder-dim", "96", "--rnn-hidden-size", "160"],
        "export_args": [],
        "params": {"dim_feedforward": 256, "decoder_dim": 96, "joiner_dim": 96},
    },
    "conformer": {
        "dir": "pruned_transducer_stateless5",
        "export": "export-onnx-streaming.py",
        "args": [
            "--num-encoder-layers", "2",
            "--dim-feedforward", "192",
            "--nhead", "2",
            "--encoder-dim", "80",
            "--decoder-dim", "96",
            "--joiner-dim", "96",
            "--dynamic-chunk-training", "1",
            "--causal-convolution", "1",
            "--short-chunk-size", "16",
            "--num-left-chunks", "4",
        ],
        "export_args": [],
        "params": {},
    },
}

# A character vocabulary, with <unk> because the older exporters look it up.
SYMBOLS = ["<blk>", "<unk>", "▁", "'"] + [chr(c) for c in range(ord("a"), ord("z") + 1)]


def write_tokens(path):
    path.write_text("".join(f"{s} {i}\n" for i, s in enumerate(SYMBOLS)), encoding="utf-8")


def encode(text):
    ids = {s: i for i, s in enumerate(SYMBOLS)}
    return [ids["▁"] if c == " " else ids[c] for c in " ".join(text.split()) if c == " " or c in ids]


def load_corpus(manifest, corpora, max_s, limit, cache):
    """Fbank features as Earshot and sherpa-onnx compute them (kaldi fbank, [-1, 1] samples)."""
    import torch

    if cache.exists():
        return torch.load(cache)
    import soundfile
    import torchaudio

    rows = [json.loads(line) for line in open(manifest, encoding="utf-8")]
    rows = [r for r in rows if r["split"] == "train" and r["corpus"] in corpora and r["duration_s"] <= max_s]
    random.Random(0).shuffle(rows)
    data = []
    for r in rows[:limit]:
        samples, rate = soundfile.read(manifest.parent / r["audio"], dtype="float32")
        assert rate == 16000, r["audio"]
        wave = torch.from_numpy(samples).unsqueeze(0)
        feats = torchaudio.compliance.kaldi.fbank(
            wave, num_mel_bins=80, dither=0.0, snip_edges=False, low_freq=20, high_freq=-400, energy_floor=0.0,
            sample_frequency=16000,
        )
        data.append((feats, encode(r["text"])))
    torch.save(data, cache)
    return data


def build_model(train, recipe, vocab_size):
    parser = argparse.ArgumentParser()
    train.add_model_arguments(parser)
    params = train.get_params()
    params.update(vars(parser.parse_args(recipe["args"])))
    params.update(recipe["params"])
    params.update({"vocab_size": vocab_size, "blank_id": 0, "context_size": 2, "unk_id": 1})
    if hasattr(train, "get_model"):
        params.update({"use_transducer": True, "use_ctc": False, "use_attention_decoder": False})
        return train.get_model(params)
    if "enable_giga" in train.get_transducer_model.__code__.co_varnames:
        return train.get_transducer_model(params, enable_giga=False)
    return train.get_transducer_model(params)


def encode_batch(model, name, x, x_lens):
    """The recipe's encoder in training mode (chunked attention where the recipe trains that way)."""
    if name == "zipformer2":
        return model.forward_encoder(x, x_lens)
    if name == "lstm":
        out, lens, _ = model.encoder(x, x_lens, warmup=1.0)
        return out, lens
    if name == "conformer":
        return model.encoder(x, x_lens, warmup=1.0)
    return model.encoder(x, x_lens)


def transducer_loss(model, enc, enc_lens, targets):
    import torch
    import torchaudio

    n = len(targets)
    u = max(len(t) for t in targets)
    y = torch.zeros(n, u, dtype=torch.int64)
    for i, t in enumerate(targets):
        y[i, : len(t)] = torch.tensor(t)
    sos_y = torch.cat([torch.zeros(n, 1, dtype=torch.int64), y], dim=1)
    dec = model.decoder(sos_y)
    am = model.joiner.encoder_proj(enc)
    lm = model.joiner.decoder_proj(dec)
    logits = model.joiner.output_linear(torch.tanh(am.unsqueeze(2) + lm.unsqueeze(1)))
    return torchaudio.functional.rnnt_loss(
        logits,
        y.int(),
        enc_lens.int(),
        torch.tensor([len(t) for t in targets], dtype=torch.int32),
        blank=0,
        reduction="mean",
    )


def batches(data, frames_per_batch, rng):
    order = list(range(len(data)))
    rng.shuffle(order)
    batch, longest = [], 0
    for i in order:
        longest = max(longest, data[i][0].shape[0])
        batch.append(data[i])
        if longest * len(batch) >= frames_per_batch:
            yield batch
            batch, longest = [], 0


def train_briefly(model, name, data, minutes, log):
    import torch
    from torch.nn.utils.rnn import pad_sequence

    rng = random.Random(0)
    # icefall's trainers tell the zipformers how far training is (set_batch_count); a short run
    # starts past their warm-up, where dropout and layer skipping are low.
    for m in model.modules():
        if hasattr(m, "batch_count"):
            m.batch_count = 100000.0
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    start, step, avg = time.time(), 0, None
    while time.time() - start < minutes * 60:
        for batch in batches(data, 2400, rng):
            x = pad_sequence([b[0] for b in batch], batch_first=True)
            x_lens = torch.tensor([b[0].shape[0] for b in batch])
            enc, enc_lens = encode_batch(model, name, x, x_lens)
            loss = transducer_loss(model, enc, enc_lens, [b[1] for b in batch])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            step += 1
            avg = loss.item() if avg is None else 0.95 * avg + 0.05 * loss.item()
            if step % 25 == 0:
                log(f"step {step} loss {avg:.3f} ({time.time() - start:.0f} s)")
            if time.time() - start >= minutes * 60:
                break
    log(f"trained {step} steps in {time.time() - start:.0f} s, final loss {avg}")
    model.eval()
    return {"steps": step, "seconds": round(time.time() - start), "loss": None if avg is None else round(avg, 3)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("recipe", choices=sorted(RECIPES))
    ap.add_argument("--icefall", type=Path, required=True, help="a checkout of k2-fsa/icefall")
    ap.add_argument("--out", type=Path, required=True, help="fixture directory to (re)write")
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / ".." / "shared" / "data" / "real-train")
    ap.add_argument("--work", type=Path, default=Path("/tmp/earshot-transducer-fixtures"))
    ap.add_argument("--minutes", type=float, default=4.0, help="training time (one core)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    a.out, a.data, a.work, a.icefall = (p.resolve() for p in (a.out, a.data, a.work, a.icefall))

    import torch

    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    recipe = RECIPES[a.recipe]
    recipe_dir = (a.icefall / "egs" / "librispeech" / "ASR" / recipe["dir"]).resolve()
    work = a.work / a.recipe
    shutil.rmtree(work, ignore_errors=True)
    (work / "exp").mkdir(parents=True)
    write_tokens(work / "tokens.txt")
    log = lambda m: print(f"[{a.recipe}] {m}", flush=True)  # noqa: E731

    sys.path[:0] = [str(HERE), str(recipe_dir), str(a.icefall.resolve())]
    os.chdir(recipe_dir)
    import icefall_stubs  # noqa: F401
    import train

    model = build_model(train, recipe, len(SYMBOLS))
    log(f"{sum(p.numel() for p in model.parameters())} parameters")
    data = load_corpus(a.data / "manifest.jsonl", {"fsdd", "speech_commands"}, 1.0, 3000, a.work / "corpus.pt")
    log(f"{len(data)} training utterances")
    stats = train_briefly(model, a.recipe, data, a.minutes, log)
    torch.save({"model": model.state_dict()}, work / "exp" / "epoch-1.pt")

    cmd = [
        sys.executable, str(HERE / "run_export.py"), str(recipe_dir), recipe["export"],
        *recipe["args"], *recipe["export_args"],
        "--epoch", "1", "--avg", "1", "--use-averaged-model", "0",
        "--exp-dir", str(work / "exp"), "--tokens", str(work / "tokens.txt"),
    ]
    log(" ".join(cmd))
    env = {**os.environ, "EARSHOT_PARAMS": json.dumps(recipe["params"])}
    subprocess.run(cmd, check=True, env=env, cwd=recipe_dir)

    a.out.mkdir(parents=True, exist_ok=True)
    for old in a.out.glob("*.onnx"):
        old.unlink()
    for f in sorted((work / "exp").glob("*.onnx")):
        if ".int8." not in f.name:
            shutil.copy(f, a.out / f.name)
    shutil.copy(work / "tokens.txt", a.out / "tokens.txt")
    (a.out / "training.json").write_text(json.dumps({"recipe": recipe["dir"], **stats}, indent=1) + "\n")
    log(f"wrote {a.out}: " + ", ".join(f"{p.name} {p.stat().st_size}" for p in sorted(a.out.iterdir())))
    assert stats["loss"] is None or math.isfinite(stats["loss"]), "training diverged"


if __name__ == "__main__":
    main()
