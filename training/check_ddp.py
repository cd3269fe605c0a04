#!/usr/bin/python3
"""Checks data-parallel training (ddp.py) on this machine: a few steps of the RNN-T (a tiny configuration,
synthetic batches that differ between processes) and then
- every process holds the same weights, bit for bit;
- they equal one process's training on the union of the processes' batches (the mean of their losses);
- the weights moved, and the processes' batches differed (so agreement came from the averaging).

  /usr/bin/python3 -m torch.distributed.run --standalone --nproc_per_node 2 training/check_ddp.py

Prints one JSON line (rank 0) and exits 1 when a check fails. CPU processes use gloo.
"""
import argparse
import json
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch
import torch.distributed as dist

import ddp
from model import RNNT
from train import batch_losses

TINY = dict(layers=1, hidden=32, joiner_dim=32, dec_emb=16, ctx_dim=16, heads=2)
NAMES = ["anna mitchell", "kitchen lights", "paris"]
# Plain SGD: its step is linear in the gradient, so the comparison with one process measures the averaging
# (Adam divides by the root of tiny second moments and magnifies rounding differences in the sums).
LR = 0.1


# train.py's loss weights (RNN-T + CTC + end of query + leading silence), without compression.
WEIGHTS = {"ctc": 0.3, "sil": 1.0, "eoq": 0.3, "attn": 0.0, "grid": 0.0, "qat_on": False, "reg_ramp": 0.0}


def synthetic_batch(rank, step):
    """Two utterances of 32 fbank frames (8 encoder frames) with 2–3 tokens each, end-of-query targets, speech
    starts and a biasing list: the same for a given (rank, step) in every process."""
    g = torch.Generator().manual_seed(1000 * rank + step)
    x = torch.randn(2, 32, 80, generator=g)
    flen = torch.tensor([8, 6])
    ys = [torch.randint(3, 29, (int(n),), generator=g).tolist() for n in torch.randint(2, 4, (2,), generator=g)]
    eoq_t = (torch.arange(8)[None] >= torch.tensor([[6], [4]])).float()
    rows = [{"speech_start": 0.1}, {"speech_start": 0.05}]
    mask = torch.rand(2, len(NAMES), generator=g) < 0.5
    return x, flen, ys, eoq_t, torch.ones(2, 8), rows, NAMES, mask, WEIGHTS


def batch_loss(model, *batch):
    return batch_losses(model, *batch)["loss"]


def flat(model):
    return torch.cat([p.detach().reshape(-1) for p in model.parameters()])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(1)
    replicas = ddp.setup()
    # A different seed per process: DDP must copy rank 0's initial weights to the others.
    torch.manual_seed(1234 + replicas.rank)
    model = RNNT(**TINY)
    torch.manual_seed(1234)
    initial = flat(RNNT(**TINY))
    step = ddp.data_parallel(model, batch_loss, replicas)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    losses = []
    for s in range(args.steps):
        loss = step(*synthetic_batch(replicas.rank, s))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(round(loss.item(), 6))
    weights = flat(model)

    every = [torch.zeros_like(weights) for _ in range(replicas.world)]
    dist.all_gather(every, weights) if replicas.world > 1 else every.__setitem__(0, weights)
    their_losses = [None] * replicas.world
    dist.all_gather_object(their_losses, losses) if replicas.world > 1 else their_losses.__setitem__(0, losses)
    if replicas.main:
        # One process, one model, the union of every replica's batches at each step.
        torch.manual_seed(1234)
        single = RNNT(**TINY)
        single_opt = torch.optim.SGD(single.parameters(), lr=LR)
        for s in range(args.steps):
            loss = sum(batch_loss(single, *synthetic_batch(r, s)) for r in range(replicas.world)) / replicas.world
            single_opt.zero_grad()
            loss.backward()
            single_opt.step()
        result = {
            "world": replicas.world,
            "backend": replicas.backend,
            "steps": args.steps,
            "parameters": weights.numel(),
            "max_diff_between_replicas": max(float((w - every[0]).abs().max()) for w in every),
            "max_diff_vs_one_process": float((every[0] - flat(single)).abs().max()),
            "moved_from_initial": float((every[0] - initial).abs().max()),
            "losses_by_replica": their_losses,
        }
        failures = []
        if result["max_diff_between_replicas"] != 0.0:
            failures.append("the replicas' weights differ")
        if not result["max_diff_vs_one_process"] < 1e-5:
            failures.append("the replicas' weights differ from one process's training on all batches")
        if not result["moved_from_initial"] > 1e-3:
            failures.append("the weights did not move")
        if replicas.world > 1 and their_losses[0] == their_losses[1]:
            failures.append("the replicas saw the same batches")
        result["failures"] = failures
        print(json.dumps(result), flush=True)
    ok = torch.tensor([0.0 if replicas.main and failures else 1.0])
    if replicas.world > 1:
        dist.broadcast(ok, 0)
    ddp.teardown(replicas)
    sys.exit(0 if ok.item() == 1.0 else 1)


if __name__ == "__main__":
    main()
