"""Grows a checkpoint without changing what it computes, so a continued run (train.py --init) starts where
the old model stopped and uses the new capacity from there:

- a wider encoder (`--hidden`), Net2WiderNet (Chen et al., 2016) for the LSTM: each new unit copies an
  existing one (its gate rows and pruning masks), and every layer that reads the units (the next LSTM layer,
  the unit's own recurrence, the projection, the end-of-query head) splits the original's outgoing weights
  between the copies in random shares that sum to one. The copies compute the same value, the sum the same
  input, so the outputs are unchanged; the unequal shares give them different gradients, so they part.
- a longer prediction-network context (`--context`): the older tokens' weights start at zero, unpruned, so
  the network first computes what it did and learns what the older tokens add. Its matrix is then less
  sparse than the rest, so a run from here needs a sparsity ramp: `train.py --phase compress
  --sparsity-start 0 --sparsity-end 0.5` reopens every mask and prunes back to 55 % (with `--sparsity-start
  -1` the first mask update would prune the new zero weights for good).

Checks the grown model against the old one (the encoder on random fbank across two chunks, the prediction
network on every context) and refuses to write it if they differ.

    /usr/bin/python3 training/grow.py --ckpt training/campaign/compress/ckpt_last.pt --hidden 320 --context 4 --out grown.pt
"""
import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import compress  # noqa: E402
from model import RNNT, VOCAB  # noqa: E402
from train import load_ckpt, save_ckpt  # noqa: E402

GATES = 4  # PyTorch's LSTM stacks the input, forget, cell and output gates' rows


def unit_map(hidden, wider, rng):
    """For each of `wider` units the unit it copies (the first `hidden` are themselves), and each one's share of
    its original's outgoing weights: random, positive, summing to one over an original's copies."""
    extra = wider - hidden
    if extra < 0:
        raise ValueError(f"--hidden {wider} is narrower than the model's {hidden}: grow.py only widens")
    # distinct originals while there are enough; a unit is copied twice only once every unit has been
    picked = np.concatenate([rng.permutation(hidden) for _ in range(-(-extra // hidden))])[:extra]
    copies = np.concatenate([np.arange(hidden), picked]).astype(np.int64)
    raw = rng.uniform(0.3, 0.7, wider)
    total = np.bincount(copies, weights=raw, minlength=hidden)
    return torch.from_numpy(copies), torch.from_numpy(raw / total[copies]).float()


def gate_rows(w, copies, hidden):
    """Rows of a (GATES·hidden, …) LSTM matrix or bias for the widened units."""
    return w.reshape(GATES, hidden, *w.shape[1:])[:, copies].reshape(GATES * len(copies), *w.shape[1:])


def widen_encoder(sd, layers, hidden, wider, rng):
    """The encoder's state dict entries at `wider` units per layer (masks follow their weights)."""
    out = dict(sd)
    maps = [unit_map(hidden, wider, rng) for _ in range(layers)]
    for layer, (copies, share) in enumerate(maps):
        for kind in ("ih", "hh"):
            for prefix in ("", "mask_"):
                key = f"encoder.lstm.{prefix}weight_{kind}_l{layer}"
                w = gate_rows(sd[key], copies, hidden)
                reads = copies if kind == "hh" else (maps[layer - 1][0] if layer > 0 else None)
                if reads is not None:
                    w = w[:, reads]
                    if not prefix:
                        w = w * (share if kind == "hh" else maps[layer - 1][1])[None, :]
                out[key] = w
            out[f"encoder.lstm.bias_{kind}_l{layer}"] = gate_rows(sd[f"encoder.lstm.bias_{kind}_l{layer}"], copies, hidden)
    copies, share = maps[-1]
    for key in ("encoder.proj.weight", "encoder.eoq.weight"):
        out[key] = sd[key][:, copies] * share[None, :]
    out["encoder.proj.mask_weight"] = sd["encoder.proj.mask_weight"][:, copies]
    return out


def lengthen_context(sd, context, longer, emb):
    """The prediction network's first layer reading `longer` tokens: the older ones' weights zero, unpruned."""
    if longer < context:
        raise ValueError(f"--context {longer} is shorter than the model's {context}: grow.py only lengthens")
    out = dict(sd)
    w = sd["decoder.l1.weight"]
    out["decoder.l1.weight"] = torch.cat([torch.zeros(w.shape[0], (longer - context) * emb), w], 1)
    out["decoder.l1.mask_weight"] = torch.cat([torch.ones(w.shape[0], (longer - context) * emb), sd["decoder.l1.mask_weight"]], 1)
    return out


@torch.no_grad()
def differences(old, new, seed=0):
    """Largest differences between the two models' encoder outputs (two chunks, state carried) and
    prediction-network outputs (every pair of last tokens, with arbitrary older ones for the longer context)."""
    compress.Settings.enabled = False
    try:
        g = torch.Generator().manual_seed(seed)
        x = torch.randn(2, 64, 80, generator=g) * 3
        enc_old, eoq_old = old.encode(x)
        enc_new, eoq_new = new.encode(x)
        k_old, k_new = old.decoder.context, new.decoder.context
        last = torch.tensor([[a, b] for a in [-1] + list(range(VOCAB)) for b in range(VOCAB)])
        older = torch.randint(-1, VOCAB, (len(last), k_new - 2), generator=g)
        dec_old = old.decoder(torch.cat([torch.full((len(last), k_old - 2), -1), last], 1))
        dec_new = new.decoder(torch.cat([older, last], 1))
    finally:
        compress.Settings.enabled = True
    return {"encoder_out": float((enc_old - enc_new).abs().max()), "eoq": float((eoq_old - eoq_new).abs().max()),
            "decoder_out": float((dec_old - dec_new).abs().max())}


def grow(ck, hidden=None, context=None, seed=0):
    """A checkpoint (load_ckpt's form) of the grown model, a fresh optimiser, and the check's differences."""
    cfg = {"context": 2, **ck["config"]}
    new_cfg = {**cfg, "hidden": hidden or cfg["hidden"], "context": context or cfg["context"]}
    rng = np.random.default_rng(seed)
    sd = widen_encoder(ck["model"], cfg["layers"], cfg["hidden"], new_cfg["hidden"], rng)
    sd = lengthen_context(sd, cfg["context"], new_cfg["context"], cfg["dec_emb"])
    old, new = RNNT(**cfg), RNNT(**new_cfg)
    old.load_state_dict(ck["model"])
    new.load_state_dict(sd)
    diff = differences(old, new, seed)
    state = {**ck["state"], "grown_from": {"config": cfg, "step": ck["state"].get("step"), "seed": seed}}
    out = {**ck, "model": new.state_dict(), "config": new_cfg, "state": state,
           "opt": torch.optim.Adam(new.parameters()).state_dict()}
    return out, diff


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--hidden", type=int, default=None, help="encoder LSTM units per layer (default: unchanged)")
    ap.add_argument("--context", type=int, default=None, help="prediction-network context in tokens (default: unchanged)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.hidden is None and args.context is None:
        sys.exit("grow.py: give --hidden and/or --context")
    ck = load_ckpt(args.ckpt)
    try:
        grown, diff = grow(ck, args.hidden, args.context, args.seed)
    except ValueError as e:
        sys.exit(f"grow.py: {e}")
    if max(diff.values()) > 1e-4:
        sys.exit(f"grow.py: the grown model computes something else ({diff}); nothing written")
    save_ckpt(args.out, grown)
    print(f"grown {ck['config']} -> {grown['config']}; largest output difference {max(diff.values()):.2e} -> {args.out}")


if __name__ == "__main__":
    main()
