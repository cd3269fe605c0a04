"""Earshot streaming RNN-T: fbank -> x4 frame stacking -> unidirectional LSTM encoder ->
joiner, a stateless prediction network over the last few tokens (2 unless grown, grow.py), a CLAS-style context-biasing
attention, and an end-of-query head.

Vocabulary: <blk>=0, '▁'=1 (word separator), "'"=2, a..z = 3..28.
"""
import math

import torch
import torch.nn as nn

from compress import QEmbedding, QLinear, QLSTM

TOKENS = ["<blk>", "▁", "'"] + [chr(c) for c in range(ord("a"), ord("z") + 1)]
VOCAB = len(TOKENS)
BLANK = 0
STACK = 4
FEAT = 80


def text_to_ids(text):
    ids = []
    for i, w in enumerate(text.split()):
        if i:
            ids.append(1)
        ids.extend(2 if ch == "'" else ord(ch) - ord("a") + 3 for ch in w if ch == "'" or "a" <= ch <= "z")
    return ids


def ids_to_text(ids):
    return "".join(" " if i == 1 else TOKENS[i] for i in ids if i > 0).strip()


class Encoder(nn.Module):
    def __init__(self, layers, hidden, joiner_dim):
        super().__init__()
        self.layers, self.hidden = layers, hidden
        self.register_buffer("feat_mean", torch.zeros(FEAT))
        self.register_buffer("feat_istd", torch.ones(FEAT))
        self.lstm = QLSTM(FEAT * STACK, hidden, layers, batch_first=True)
        self.proj = QLinear(hidden, joiner_dim)
        self.eoq = nn.Linear(hidden, 1)

    def forward(self, x, state0, state1):
        """x (N, T, 80) raw fbank, T a multiple of 4 -> (N, T/4, J), h, c, eoq logits (N, T/4)."""
        n, t, _ = x.shape
        x = ((x - self.feat_mean) * self.feat_istd).reshape(n, t // STACK, FEAT * STACK)
        y, (h, c) = self.lstm(x, (state0, state1))
        return self.proj(y), h, c, self.eoq(y).squeeze(-1)


def start_context(size):
    """The prediction network's input before any token: nothing, then blank (sherpa-onnx's start)."""
    return [-1] * (size - 1) + [BLANK]


class Decoder(nn.Module):
    """Stateless prediction network over the last `context` tokens (sherpa-onnx context_size), oldest first."""

    def __init__(self, emb_dim, joiner_dim, context=2):
        super().__init__()
        self.context = context
        self.emb = QEmbedding(VOCAB, emb_dim)
        self.l1 = QLinear(context * emb_dim, joiner_dim)
        self.l2 = QLinear(joiner_dim, joiner_dim)

    def forward(self, y):
        """y (..., context) int64; -1 means 'nothing' (zero embedding)."""
        e = self.emb(y.clamp(min=0)) * (y >= 0).unsqueeze(-1).to(torch.float32)
        e = e.reshape(*y.shape[:-1], -1)
        return self.l2(torch.relu(self.l1(e)))


class Joiner(nn.Module):
    def __init__(self, joiner_dim):
        super().__init__()
        self.out = QLinear(joiner_dim, VOCAB)

    def forward(self, enc, dec):
        return self.out(torch.tanh(enc + dec))


class ContextEncoder(nn.Module):
    """Embeds each biasing entry (token ids padded with 0) with an LSTM; last state."""

    def __init__(self, dim):
        super().__init__()
        self.emb = QEmbedding(VOCAB, dim)
        self.lstm = QLSTM(dim, dim, 1, batch_first=True)

    def forward(self, tokens, lengths):
        e = tokens.shape[0]
        z = torch.zeros(1, e, self.lstm.hidden_size)
        y, _ = self.lstm(self.emb(tokens), (z, z))
        return y[torch.arange(e), lengths - 1]


class Bias(nn.Module):
    """Multi-head attention from each encoder frame over [no-bias entry; context entries].

    The encoder graph outputs enc + b0, where b0 is the bias vector the attention gives
    when only the no-bias entry exists; forward() adds (bias - b0). So an empty list
    leaves encoder_out unchanged, and sherpa-onnx decodes the no-list case exactly."""

    def __init__(self, joiner_dim, dim, heads=4):
        super().__init__()
        self.heads, self.dim = heads, dim
        self.nobias = nn.Parameter(torch.randn(dim) * 0.1)
        self.q = QLinear(joiner_dim, dim)
        self.k = QLinear(dim, dim)
        self.v = QLinear(dim, dim)
        self.o = QLinear(dim, joiner_dim)

    def b0(self):
        return self.o(self.v(self.nobias[None]))[0]

    def forward(self, enc, ctx, mask=None):
        """enc (N, F, J) (already includes b0), ctx (E, C) -> enc_biased (N, F, J), attention (N, F, E+1).
        mask (N, E) bool: which entries are in each utterance's own list (training batches pool the lists
        of their utterances; the exported graph takes one stream's list and no mask)."""
        n, f, _ = enc.shape
        hd = self.dim // self.heads
        kv = torch.cat([self.nobias[None], ctx], 0)
        e1 = kv.shape[0]
        q = self.q(enc).reshape(n, f, self.heads, hd)
        k = self.k(kv).reshape(e1, self.heads, hd)
        v = self.v(kv).reshape(e1, self.heads, hd)
        scores = torch.einsum("nfhd,ehd->nfhe", q, k) / math.sqrt(hd)
        if mask is not None:
            keep = torch.cat([torch.ones(n, 1, dtype=torch.bool), mask], 1)  # the no-bias entry is always there
            scores = scores.masked_fill(~keep[:, None, None, :], float("-inf"))
        a = torch.softmax(scores, dim=-1)
        out = torch.einsum("nfhe,ehd->nfhd", a, v).reshape(n, f, self.dim)
        return enc + self.o(out) - self.b0(), a.mean(2)


class RNNT(nn.Module):
    def __init__(self, layers=3, hidden=256, joiner_dim=256, dec_emb=128, ctx_dim=128, heads=4, context=2):
        super().__init__()
        self.config = dict(layers=layers, hidden=hidden, joiner_dim=joiner_dim, dec_emb=dec_emb,
                           ctx_dim=ctx_dim, heads=heads, context=context)
        self.encoder = Encoder(layers, hidden, joiner_dim)
        self.decoder = Decoder(dec_emb, joiner_dim, context)
        self.joiner = Joiner(joiner_dim)
        self.context = ContextEncoder(ctx_dim)
        self.bias = Bias(joiner_dim, ctx_dim, heads)
        self.ctc_head = nn.Linear(joiner_dim, VOCAB)  # auxiliary CTC loss during training only (not exported)

    def zero_state(self, n):
        z = torch.zeros(self.encoder.layers, n, self.encoder.hidden)
        return z, z.clone()

    def encode(self, x):
        """Full-utterance encoder (exactly equal to chunked streaming): x (N, T, 80), T % 4 == 0.
        Returns encoder_out including b0 (what encoder.onnx outputs) and eoq logits."""
        s0, s1 = self.zero_state(x.shape[0])
        enc, _, _, eoq = self.encoder(x, s0, s1)
        return enc + self.bias.b0(), eoq

    def encode_context(self, entries):
        """entries: list of token-id lists -> (E, C); None if empty."""
        if not entries:
            return None
        s = max(len(e) for e in entries)
        toks = torch.zeros(len(entries), s, dtype=torch.long)
        for i, e in enumerate(entries):
            toks[i, : len(e)] = torch.tensor(e)
        lens = torch.tensor([len(e) for e in entries])
        return self.context(toks, lens)

    def apply_bias(self, enc, ctx, mask=None):
        if ctx is None:
            return enc, None
        return self.bias(enc, ctx, mask)


def num_params(m):
    return sum(p.numel() for p in m.parameters())


@torch.no_grad()
def greedy(model, enc, lengths, max_symbols=1):
    """Batched greedy RNN-T decode. enc (N, F, J) (biased or not). Returns [(ids, frames)]."""
    n, f, _ = enc.shape
    ctx = torch.tensor([start_context(model.decoder.context)]).repeat(n, 1)
    dec = model.decoder(ctx)
    hyps = [[] for _ in range(n)]
    frames = [[] for _ in range(n)]
    for t in range(f):
        active = lengths > t
        for _ in range(max_symbols):
            logit = model.joiner(enc[:, t], dec)
            tok = logit.argmax(-1)
            emit = (tok != BLANK) & active
            if not emit.any():
                break
            for i in torch.nonzero(emit)[:, 0].tolist():
                hyps[i].append(int(tok[i]))
                frames[i].append(t)
            ctx[emit] = torch.cat([ctx[emit, 1:], tok[emit, None]], 1)
            dec[emit] = model.decoder(ctx[emit])
            active = emit
    return list(zip(hyps, frames))
