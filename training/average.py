"""Checkpoint averaging: the mean of the weights of several checkpoints of one run (icefall's
`average_checkpoints`), usually its last few, which smooths the noise of the last steps.

The checkpoints must share a model shape. Pruning masks only shrink within a run (compress.update_masks
keeps a pruned weight at zero), so the average keeps every matrix's sparsity: a weight pruned in any of the
checkpoints is pruned in the average (the masks are ANDed and applied). Everything else (optimiser,
schedule, arguments) comes from the last checkpoint, so the average exports, reports and resumes like it;
`state.averaged_from` names the steps that went in.

    /usr/bin/python3 training/average.py --ckpts WORK/ckpt_step*.pt --last 6 --out avg.pt [--corpus C]

(`train.py --keep-ckpts N` keeps a run's N newest checkpoints as WORK/ckpt_step*.pt.)

With --corpus, prints the dev WER (the training's greedy dev measure, fake int8 on for a compressed run)
of the last checkpoint and of the average, so the choice between them is made on dev.
"""
import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import compress  # noqa: E402
from model import RNNT  # noqa: E402
from train import DEV_SPLITS, Corpus, evaluate_splits, load_ckpt, save_ckpt  # noqa: E402


def average_states(states):
    """The mean of the float tensors of `states` (model state dicts), masks ANDed and applied."""
    first = states[0]
    for i, s in enumerate(states[1:], 1):
        if s.keys() != first.keys() or any(s[k].shape != first[k].shape for k in first):
            raise ValueError(f"checkpoint {i + 1} has another model shape than checkpoint 1: they are not of one run")
    out = {}
    for k, v in first.items():
        if "mask_" in k:
            out[k] = torch.stack([s[k] for s in states]).amin(0)
        elif v.is_floating_point():
            out[k] = torch.stack([s[k].float() for s in states]).mean(0).to(v.dtype)
        else:
            out[k] = states[-1][k]
    for k in out:
        if "mask_" in k:
            w = k.replace("mask_", "")
            out[w] = out[w] * out[k]
    return out


def average(paths):
    """A checkpoint (load_ckpt's form) whose weights average those of `paths`; the rest is the last one's."""
    cks = [load_ckpt(p) for p in paths]
    configs = {json.dumps(ck["config"], sort_keys=True) for ck in cks}
    if len(configs) > 1:
        raise ValueError(f"the checkpoints have different model configurations: {sorted(configs)}")
    out = dict(cks[-1])
    out["model"] = average_states([ck["model"] for ck in cks])
    out["state"] = {**cks[-1]["state"], "averaged_from": [ck["state"]["step"] for ck in cks]}
    return out


def dev_splits(corpus):
    return {s: Corpus(corpus, s) for s in DEV_SPLITS}


def dev_wer(ck, dev, n):
    model = RNNT(**ck["config"])
    model.load_state_dict(ck["model"])
    compress.Settings.fake_quant = bool(ck.get("args", {}).get("phase") == "compress")
    return evaluate_splits(model, dev, n)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpts", nargs="+", required=True, help="checkpoints of one run, oldest first")
    ap.add_argument("--last", type=int, default=None, help="average only the last N of them")
    ap.add_argument("--out", required=True)
    ap.add_argument("--corpus", default=None, help="also print the dev WER of the last checkpoint and the average")
    ap.add_argument("--dev-n", type=int, default=200)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    paths = sorted(args.ckpts, key=os.path.getmtime)
    if args.last:
        paths = paths[-args.last:]
    if len(paths) < 2:
        sys.exit(f"average.py: {len(paths)} checkpoint(s) given; averaging needs at least 2")
    avg = average(paths)
    save_ckpt(args.out, avg)
    print(f"averaged steps {avg['state']['averaged_from']} -> {args.out}")
    if args.corpus:
        last, dev = load_ckpt(paths[-1]), dev_splits(args.corpus)
        print(json.dumps({"last": dev_wer(last, dev, args.dev_n), "average": dev_wer(avg, dev, args.dev_n),
                          "steps": avg["state"]["averaged_from"]}))


if __name__ == "__main__":
    main()
