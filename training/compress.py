"""Compression during training: int8 per-channel fake quantization (straight-through
gradient) with a regulariser toward the quantisation grid, and gradual magnitude
sparsification with a cubic schedule (masks applied in every forward pass).

Every compressed weight matrix lives in a module of this file (QLinear, QEmbedding,
QLSTM); each keeps a `mask_<param>` buffer. Rows are output channels (for LSTM
weights: the 4*H gate rows), so per-channel scales match ORT's per-column scales of
the transposed int8 matrices after export.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import _VF

QMAX = 127.0


class Settings:
    fake_quant = True   # off before QAT starts and in baked (export) copies
    enabled = True      # off in baked copies: plain fp32 modules


def channel_scale(w):
    return (w.detach().abs().amax(dim=1, keepdim=True) / QMAX).clamp(min=1e-8)


def quant_grid(w):
    """Nearest int8 grid point per element (symmetric, per output channel), no grad."""
    s = channel_scale(w)
    return torch.clamp(torch.round(w.detach() / s), -QMAX, QMAX) * s, s


def fake_quant(w):
    q, _ = quant_grid(w)
    return w + (q - w).detach()  # straight-through estimator


def effective(w, mask):
    w = w * mask
    return fake_quant(w) if Settings.fake_quant else w


class _Compressed:
    """Mixin: registers masks for the named 2-D weights."""

    def _init_masks(self, names):
        self._cnames = list(names)
        for n in self._cnames:
            self.register_buffer("mask_" + n, torch.ones_like(getattr(self, n)))

    def compressed(self):
        for n in self._cnames:
            yield n, getattr(self, n), getattr(self, "mask_" + n)

    def eff(self, n):
        w = getattr(self, n)
        if not Settings.enabled:
            return w
        return effective(w, getattr(self, "mask_" + n))


class QLinear(nn.Linear, _Compressed):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self._init_masks(["weight"])

    def forward(self, x):
        return F.linear(x, self.eff("weight"), self.bias)


class QEmbedding(nn.Embedding, _Compressed):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self._init_masks(["weight"])

    def forward(self, x):
        return F.embedding(x, self.eff("weight"))


class QLSTM(nn.LSTM, _Compressed):
    """nn.LSTM that masks and fake-quantizes its weight matrices, then calls the fused kernel."""

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self._init_masks([n for n in self._flat_weights_names if n.startswith("weight_")])

    def forward(self, x, hx):
        if not Settings.enabled:
            return super().forward(x, hx)
        ws = [self.eff(n) if n.startswith("weight_") else getattr(self, n) for n in self._flat_weights_names]
        out = _VF.lstm(x, hx, ws, self.bias, self.num_layers, self.dropout, self.training,
                       self.bidirectional, self.batch_first)
        return out[0], (out[1], out[2])


def compressed_params(model):
    """[(qualified name, param, mask)] for every compressed matrix."""
    out = []
    for mname, m in model.named_modules():
        if isinstance(m, _Compressed):
            for n, p, mask in m.compressed():
                out.append((f"{mname}.{n}" if mname else n, p, mask))
    return out


def cubic_sparsity(progress, final, start=0.1, end=0.7):
    """Zhu & Gupta gradual pruning: s = final * (1 - (1 - t)^3) for t in [0, 1] between start and end."""
    if progress <= start:
        return 0.0
    t = min(1.0, (progress - start) / (end - start))
    return final * (1.0 - (1.0 - t) ** 3)


@torch.no_grad()
def update_masks(model, sparsity):
    """Magnitude pruning, per matrix: the smallest |w| (among all entries) get mask 0."""
    for _, p, mask in compressed_params(model):
        k = int(math.floor(sparsity * p.numel()))
        if k <= 0:
            mask.fill_(1.0)
            continue
        thr = (p * mask).abs().flatten().kthvalue(k).values
        mask.copy_(((p * mask).abs() > thr).float())
        p.mul_(mask)


@torch.no_grad()
def apply_masks(model):
    for _, p, mask in compressed_params(model):
        p.mul_(mask)


def grid_regulariser(model):
    """Mean squared distance (in units of the channel's step size) to the int8 grid."""
    tot, n = 0.0, 0
    for _, p, mask in compressed_params(model):
        q, s = quant_grid(p * mask)
        tot = tot + (((p * mask - q) / s) ** 2).sum()
        n += p.numel()
    return tot / max(n, 1)


@torch.no_grad()
def sparsity_report(model):
    rep = {}
    z = t = 0
    for name, p, mask in compressed_params(model):
        w = p * mask
        zz = int((w == 0).sum())
        rep[name] = round(zz / p.numel(), 4)
        z += zz
        t += p.numel()
    return rep, (z / t if t else 0.0)


@torch.no_grad()
def bake(model):
    """Writes the effective (masked, int8-grid) weights into the parameters in place;
    afterwards the model is a plain fp32 model (call on a copy)."""
    for _, p, mask in compressed_params(model):
        q, _ = quant_grid(p * mask)
        p.copy_(q * mask)
        mask.fill_(1.0)
