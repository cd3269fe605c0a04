#!/usr/bin/python3
"""Trains the cloud language model (word pieces, LSTM) on open text and the command grammar, then exports it to
ONNX as a folder Earshot reads: lm.json, lm.onnx (one step: token, state → next-token log-probabilities, state),
tokenizer.vocab (SentencePiece unigram pieces and scores), golden.json (scores from torch, for the parity test).

    OMP_WAIT_POLICY=PASSIVE nice -n 10 /usr/bin/python3 training/lm/train.py --size large --minutes 40 \\
        --text ../shared/data/text/sentences.txt --out "$MODELS/cloud-lm"

Training stops after --minutes of wall time in total (a re-run with the same --work continues from the last
checkpoint, written every few minutes, until the total is spent); --minutes 0 only exports the checkpoint.
Held-out text is never trained on (see text.py).
"""
import argparse
import json
import math
import os
import random
import sys
import time

import sentencepiece as spm
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import lm_text  # noqa: E402
from lm_model import SIZES, StepModel, WordPieceLSTM, count_parameters  # noqa: E402

BOS, EOS = 1, 2
GOLDEN = ["turn on the kitchen lights", "call priya on her mobile", "he said that he was going straight back",
          "the quick brown fox", "zzyzx qwerty"]


def train_tokenizer(sentences, vocab, work):
    path = os.path.join(work, "tokenizer")
    if not os.path.exists(path + ".model"):
        with open(os.path.join(work, "tokenizer-text.txt"), "w") as fh:
            fh.write("\n".join(sentences) + "\n")
        spm.SentencePieceTrainer.train(
            input=os.path.join(work, "tokenizer-text.txt"), model_prefix=path, vocab_size=vocab, model_type="unigram",
            normalization_rule_name="identity", character_coverage=1.0, unk_id=0, bos_id=BOS, eos_id=EOS,
            pad_id=-1, num_threads=1, input_sentence_size=400_000, shuffle_input_sentence=True, minloglevel=2)
        os.remove(os.path.join(work, "tokenizer-text.txt"))
    return spm.SentencePieceProcessor(model_file=path + ".model")


def batches(seqs, batch_tokens, rng):
    """Index batches of similar length (≈ batch_tokens tokens each), in random order."""
    order = sorted(range(len(seqs)), key=lambda i: (len(seqs[i]), rng.random()))
    out, cur, width = [], [], 0
    for i in order:
        width = max(width, len(seqs[i]) + 1)
        if cur and width * (len(cur) + 1) > batch_tokens:
            out.append(cur)
            cur, width = [], len(seqs[i]) + 1
        cur.append(i)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def tensors(seqs, idx):
    width = max(len(seqs[i]) for i in idx) + 1
    x = torch.full((len(idx), width), EOS, dtype=torch.long)
    y = torch.full((len(idx), width), -100, dtype=torch.long)
    for r, i in enumerate(idx):
        s = seqs[i]
        x[r, 0] = BOS
        x[r, 1:len(s) + 1] = torch.tensor(s)
        y[r, :len(s)] = torch.tensor(s)
        y[r, len(s)] = EOS
    return x, y


@torch.no_grad()
def log_prob_total(model, seqs):
    """Σ log P over every sequence's tokens and end of sentence (natural log)."""
    model.eval()
    total = 0.0
    for idx in batches(seqs, 4096, random.Random(0)):
        x, y = tensors(seqs, idx)
        logits = model(x)
        total -= torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                                                   ignore_index=-100, reduction="sum").item()
    model.train()
    return total


def word_perplexity(model, sp, sentences):
    """Perplexity per word (the end of sentence counts as one), comparable across tokenisers."""
    if not sentences:
        return None
    seqs = [sp.encode(s) for s in sentences]
    words = sum(len(s.split()) + 1 for s in sentences)
    return math.exp(-log_prob_total(model, seqs) / words)


def export(model, sp, work, out, meta):
    os.makedirs(out, exist_ok=True)
    step = StepModel(model).eval()
    L, D = model.layers, model.dim
    tmp = os.path.join(out, "lm.onnx.tmp")
    torch.onnx.export(step, (torch.tensor([BOS, BOS]), torch.zeros(L, 2, D), torch.zeros(L, 2, D)), tmp,
                      input_names=["token", "h", "c"], output_names=["log_probs", "h_out", "c_out"],
                      dynamic_axes={"token": {0: "batch"}, "h": {1: "batch"}, "c": {1: "batch"},
                                    "log_probs": {0: "batch"}, "h_out": {1: "batch"}, "c_out": {1: "batch"}},
                      opset_version=13)
    os.replace(tmp, os.path.join(out, "lm.onnx"))
    with open(os.path.join(work, "tokenizer.vocab")) as fh:
        vocab = fh.read()
    write_atomic(os.path.join(out, "tokenizer.vocab"), vocab)
    golden = []
    with torch.no_grad():
        for s in GOLDEN:
            ids = sp.encode(s)
            h, c = torch.zeros(L, 1, D), torch.zeros(L, 1, D)
            total, prev = 0.0, BOS
            for t in ids + [EOS]:
                lp, h, c = step(torch.tensor([prev]), h, c)
                total += lp[0, t].item()
                prev = t
            golden.append({"text": s, "pieces": sp.encode(s, out_type=str), "ids": ids, "log_prob": total})
    write_atomic(os.path.join(out, "golden.json"), json.dumps(golden, indent=1) + "\n")
    lm_json = {"type": "earshot-lm", "architecture": "lstm", "model": "lm.onnx", "tokenizer": "tokenizer.vocab",
               "vocab_size": model.vocab, "layers": L, "dim": D, "bos_id": BOS, "eos_id": EOS, "unk_id": 0, **meta}
    write_atomic(os.path.join(out, "lm.json"), json.dumps(lm_json, indent=1) + "\n")


def write_atomic(path, content):
    with open(path + ".tmp", "w") as fh:
        fh.write(content)
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=sorted(SIZES), default="large")
    ap.add_argument("--text", default=os.path.join(os.path.dirname(__file__), "../../../shared/data/text/sentences.txt"))
    ap.add_argument("--out", required=True, help="the model folder to write (e.g. the models folder's cloud-lm)")
    ap.add_argument("--work", help="checkpoint and tokenizer folder (default: <out>.work)")
    ap.add_argument("--minutes", type=float, default=40.0, help="total training wall time over all runs")
    ap.add_argument("--commands", type=int, default=100_000, help="grammar commands added to the open text")
    ap.add_argument("--batch-tokens", type=int, default=2048)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--no-perplexity", action="store_true", help="export without measuring held-out perplexity")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    if not os.path.exists(a.text):
        sys.exit(f"train.py: no sentence file at {a.text} (--text)")
    work = a.work or a.out.rstrip("/") + ".work"
    os.makedirs(work, exist_ok=True)
    cfg = SIZES[a.size]

    open_train, cmd_train = lm_text.split_text(a.text, "train", a.commands)
    train = open_train + cmd_train
    sp = train_tokenizer(train, cfg["vocab"], work)
    seqs = [sp.encode(s) for s in train]
    print(f"{len(open_train)} sentences + {len(cmd_train)} commands, {sum(map(len, seqs))} pieces", flush=True)

    model = WordPieceLSTM(cfg["vocab"], cfg["dim"], cfg["layers"], dropout=0.1 if a.size == "large" else 0.0)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    ckpt_path = os.path.join(work, "checkpoint.pt")
    state = {"elapsed_s": 0.0, "step": 0, "epoch": 0, "batch": 0, "tokens": 0}
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        if ck["size"] != a.size:
            sys.exit(f"train.py: {ckpt_path} holds a {ck['size']} model, not {a.size}")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        state = ck["state"]
        print(f"resumed at step {state['step']} after {state['elapsed_s'] / 60:.1f} min", flush=True)
    print(f"{count_parameters(model) / 1e6:.2f} M parameters", flush=True)

    budget_s = a.minutes * 60
    t0, last_ck, run_start = time.time(), time.time(), state["elapsed_s"]

    def save():
        state["elapsed_s"] = run_start + time.time() - t0
        torch.save({"size": a.size, "model": model.state_dict(), "opt": opt.state_dict(), "state": state},
                   ckpt_path + ".tmp")
        os.replace(ckpt_path + ".tmp", ckpt_path)

    done = state["elapsed_s"] >= budget_s
    while not done:
        order = batches(seqs, a.batch_tokens, random.Random(a.seed + state["epoch"]))
        while state["batch"] < len(order):
            elapsed = run_start + time.time() - t0
            if elapsed >= budget_s:
                done = True
                break
            for g in opt.param_groups:  # linear decay to a tenth over the whole budget
                g["lr"] = a.lr * (1 - 0.9 * elapsed / budget_s)
            x, y = tensors(seqs, order[state["batch"]])
            logits = model(x)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                                                     ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            state["step"] += 1
            state["batch"] += 1
            state["tokens"] += int((y != -100).sum())
            if state["step"] % 100 == 0:
                print(f"step {state['step']} epoch {state['epoch']} {elapsed / 60:.1f} min "
                      f"loss {loss.item():.3f} tokens {state['tokens']}", flush=True)
            if time.time() - last_ck > 300:
                save()
                last_ck = time.time()
        else:
            state["epoch"] += 1
            state["batch"] = 0
    save()

    dev_open, dev_cmd = lm_text.split_text(a.text, "dev", 1000)
    test_open, test_cmd = lm_text.split_text(a.text, "test", 1000)
    ppl = {} if a.no_perplexity else {name: round(word_perplexity(model, sp, s), 2) for name, s in
                                      (("dev_open", dev_open), ("dev_cmd", dev_cmd), ("test_open", test_open),
                                       ("test_cmd", test_cmd))}
    print("word perplexity", ppl, flush=True)
    meta = {"size": a.size, "parameters": count_parameters(model), "trained": {
        "minutes": round(state["elapsed_s"] / 60, 1), "steps": state["step"], "tokens": state["tokens"],
        "epochs": round(state["epoch"] + state["batch"] / max(1, len(batches(seqs, a.batch_tokens, random.Random(0)))), 2),
        "sentences": len(open_train), "commands": len(cmd_train)}, "word_perplexity": ppl,
        "text": "sentences.txt (open_text.py's train slice) + grammar.py commands with the training names"}
    model.eval()
    export(model, sp, work, a.out, meta)
    print(f"wrote {a.out}", flush=True)


if __name__ == "__main__":
    main()
