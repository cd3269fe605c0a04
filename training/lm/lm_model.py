"""A word-piece LSTM language model with tied input/output embeddings, and the single-step form that is exported
to ONNX (one token in, log-probabilities of the next out, state carried by the caller)."""
import torch
from torch import nn

SIZES = {
    # the cloud model, 8.3 M parameters: on one CPU core a larger one sees too little text in 40 minutes
    "large": {"vocab": 8000, "dim": 512, "layers": 2},
    # the test fixture: trains in minutes, well under 1 MB as ONNX
    "small": {"vocab": 500, "dim": 64, "layers": 1},
}


class WordPieceLSTM(nn.Module):
    def __init__(self, vocab, dim, layers, dropout=0.0):
        super().__init__()
        self.vocab, self.dim, self.layers = vocab, dim, layers
        self.embed = nn.Embedding(vocab, dim)
        self.lstm = nn.LSTM(dim, dim, layers, batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)
        self.out_bias = nn.Parameter(torch.zeros(vocab))

    def forward(self, ids):
        """ids [B, T] → logits [B, T, V] for the next token at each position (state starts at zero)."""
        y, _ = self.lstm(self.drop(self.embed(ids)))
        return self.drop(y) @ self.embed.weight.t() + self.out_bias


class StepModel(nn.Module):
    """One step of WordPieceLSTM written out as matrix products, so it exports to plain ONNX ops."""

    def __init__(self, lm: WordPieceLSTM):
        super().__init__()
        self.lm = lm

    def forward(self, token, h, c):
        """token [B] int64, h/c [L, B, D] → (log-probabilities [B, V], h', c')."""
        x = self.lm.embed(token)
        hs, cs = [], []
        for k in range(self.lm.layers):
            w_ih = getattr(self.lm.lstm, f"weight_ih_l{k}")
            w_hh = getattr(self.lm.lstm, f"weight_hh_l{k}")
            b = getattr(self.lm.lstm, f"bias_ih_l{k}") + getattr(self.lm.lstm, f"bias_hh_l{k}")
            gates = x @ w_ih.t() + h[k] @ w_hh.t() + b
            i, f, g, o = gates.chunk(4, dim=1)
            ck = torch.sigmoid(f) * c[k] + torch.sigmoid(i) * torch.tanh(g)
            hk = torch.sigmoid(o) * torch.tanh(ck)
            hs.append(hk)
            cs.append(ck)
            x = hk
        logits = x @ self.lm.embed.weight.t() + self.lm.out_bias
        return torch.log_softmax(logits, dim=-1), torch.stack(hs), torch.stack(cs)


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())
