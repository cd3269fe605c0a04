"""A token-level n-gram language model for shallow fusion in the recogniser's beam search, written as ARPA.

Its "words" are the acoustic model's tokens (`a`..`z`, `'`, the word separator `▁`), so the search can score each
token it considers: P(token | the tokens before it). Smoothing is interpolated Witten-Bell,
    P(w | h) = (c(h w) + T(h) P(w | h')) / (c(h) + T(h)),   T(h) = distinct tokens seen after h,
and pruning drops whole histories seen fewer than --min-count times. Every token seen after a kept history is
listed, so ARPA's back-off weight of h is exactly its interpolation weight T(h) / (c(h) + T(h)) and the file
reproduces the interpolated model.

Text: the open-text train slice of sentences.txt (the dev and test slices never), assistant commands with the
training name pools (lm_text), and the transcripts of real-train's train part. The perplexity printed at the end
is on the dev parts of the same three sources.

    /usr/bin/python3 training/lm/token_ngram.py --text ../shared/data/text/sentences.txt \\
        --real ../shared/data/real-train --out resources/models/earshot-rnnt/lm/tokens-6gram.arpa
"""
import argparse
import gzip
import io
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

import lm_text  # noqa: E402
import real_speech  # noqa: E402
from model import TOKENS, text_to_ids  # noqa: E402

BOS, EOS = len(TOKENS), len(TOKENS) + 1
SYMBOLS = TOKENS + ["<s>", "</s>"]
BASE = 32  # one digit per token in an n-gram's key; the symbols must fit
assert len(SYMBOLS) <= BASE


def sequences(sentences):
    """Flat token array: each sentence as <s> tokens </s>; and where each sentence starts."""
    seqs = [[BOS, *text_to_ids(s), EOS] for s in sentences if s.strip()]
    starts = np.cumsum([0] + [len(s) for s in seqs[:-1]])
    flat = np.fromiter((t for s in seqs for t in s), dtype=np.int64)
    return flat, np.repeat(starts, [len(s) for s in seqs])


def count(flat, start_of, order):
    """Per order n: sorted unique n-gram keys (the predicted token in the lowest digit) and their counts.
    N-grams never cross a sentence, and <s> is never predicted."""
    pos = np.arange(len(flat)) - start_of
    keys = flat.copy()
    out = []
    for n in range(1, order + 1):
        if n > 1:
            keys = keys + np.concatenate([np.zeros(n - 1, np.int64), flat[: -(n - 1)]]) * BASE ** (n - 1)
        ok = (pos >= n - 1) & (flat != BOS)
        k, c = np.unique(keys[ok], return_counts=True)
        out.append((k, c))
    return out


def witten_bell(counts, min_count, vocab):
    """Per order: the listed n-grams (keys), log10 P, and for each the back-off weight it carries as a history."""
    orders = []
    for n, (keys, cnt) in enumerate(counts, start=1):
        hist = keys // BASE
        uh, inv = np.unique(hist, return_inverse=True)
        c_h = np.bincount(inv, weights=cnt)
        t_h = np.bincount(inv)
        keep = c_h[inv] >= (min_count if n > 1 else 0)
        keys, cnt, inv = keys[keep], cnt[keep], inv[keep]
        if n == 1:
            lower = np.full(len(keys), 1.0 / vocab)
        else:
            lk, lp = orders[-1]["keys"], orders[-1]["p"]
            suffix = keys % BASE ** (n - 1)
            idx = np.searchsorted(lk, suffix)
            assert np.all(lk[idx] == suffix), "a kept n-gram's lower-order suffix must be listed"
            lower = lp[idx]
        p = (cnt + t_h[inv] * lower) / (c_h[inv] + t_h[inv])
        orders.append({"keys": keys, "p": p, "hist": uh, "bo": t_h / (c_h + t_h), "hist_kept": c_h >= min_count})
    return orders


def backoffs(orders):
    """log10 back-off weight of each listed n-gram as a history of the next order (0 where it is never one)."""
    out = []
    for n, o in enumerate(orders):
        bo = np.zeros(len(o["keys"]))
        if n + 1 < len(orders):
            nxt = orders[n + 1]
            # the history <s> alone is not a predicted unigram: write_arpa lists it by hand
            kept = nxt["hist_kept"] & (nxt["hist"] != BOS)
            hk = nxt["hist"][kept]
            idx = np.searchsorted(o["keys"], hk)
            assert np.all(o["keys"][idx] == hk), "a kept history must be listed one order down"
            bo[idx] = np.log10(nxt["bo"][kept])
        out.append(bo)
    return out


def spell(key, n):
    return " ".join(SYMBOLS[(key // BASE ** (n - 1 - i)) % BASE] for i in range(n))


def write_arpa(path, orders):
    bos = backoffs(orders)
    # <s> is listed (it starts every history) but never predicted: ARPA's convention is a log10 P of -99.
    bos_idx = np.searchsorted(orders[1]["hist"], BOS) if len(orders) > 1 else None
    bos_bo = math.log10(orders[1]["bo"][bos_idx]) if bos_idx is not None else 0.0
    counts = [len(o["keys"]) + (1 if n == 0 else 0) for n, o in enumerate(orders)]
    tmp = path + ".tmp"
    raw = open(tmp, "wb")
    # .gz: gzipped with no name or time in the header, so the same text gives the same bytes
    zipped = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) if path.endswith(".gz") else None
    with raw, io.TextIOWrapper(zipped or raw, encoding="utf-8") as fh:
        fh.write("\\data\\\n")
        for n, c in enumerate(counts, start=1):
            fh.write(f"ngram {n}={c}\n")
        for n, (o, bo) in enumerate(zip(orders, bos), start=1):
            fh.write(f"\n\\{n}-grams:\n")
            if n == 1:
                fh.write(f"-99\t<s>\t{bos_bo:.4f}\n")
            last = n == len(orders)
            for key, p, b in zip(o["keys"].tolist(), np.log10(o["p"]).tolist(), bo.tolist()):
                fh.write(f"{p:.4f}\t{spell(key, n)}\n" if last else f"{p:.4f}\t{spell(key, n)}\t{b:.4f}\n")
        fh.write("\n\\end\\\n")
    os.replace(tmp, path)


def log10_prob(orders, ngram):
    """The model's log10 P of ngram[-1] after ngram[:-1], by ARPA's back-off rule (for the perplexity check)."""
    bo = 0.0
    for start in range(len(ngram)):
        g = ngram[start:]
        n = len(g)
        if n > len(orders):
            continue
        o = orders[n - 1]
        key = sum(t * BASE ** (n - 1 - i) for i, t in enumerate(g))
        i = np.searchsorted(o["keys"], key)
        if i < len(o["keys"]) and o["keys"][i] == key:
            return bo + math.log10(o["p"][i])
        if n > 1:
            h = key // BASE
            nxt = orders[n - 1]
            j = np.searchsorted(nxt["hist"], h)
            if j < len(nxt["hist"]) and nxt["hist"][j] == h and nxt["hist_kept"][j]:
                bo += math.log10(nxt["bo"][j])
    raise AssertionError("every token is a listed unigram")


def perplexity(orders, sentences):
    total, n = 0.0, 0
    for s in sentences:
        seq = [BOS, *text_to_ids(s), EOS]
        for j in range(1, len(seq)):
            total += log10_prob(orders, seq[max(0, j - len(orders) + 1): j + 1])
            n += 1
    return 10 ** (-total / n), n


def text_of(part, args):
    """The LM's text by source: open text, commands, real-train transcripts (train: --real-weight copies of them)."""
    open_part, commands = lm_text.split_text(args.text, part, args.commands if part == "train" else args.commands // 100, seed=args.seed)
    out = {"open": list(open_part), "commands": list(commands)}
    if args.real:
        real = [r["text"] for r in real_speech.load(args.real, part)]
        out["real"] = real * (args.real_weight if part == "train" else 1)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", required=True, help="sentences.txt (one normalised sentence a line)")
    ap.add_argument("--real", help="real-train folder (manifest.jsonl): its train transcripts join the text")
    ap.add_argument("--real-weight", type=int, default=1,
                    help="copies of the real transcripts in the text: digits, spelt letters and single command words "
                         "are rare in prose, and the real test speech is made of them")
    ap.add_argument("--commands", type=int, default=100_000, help="assistant commands added to the open text")
    ap.add_argument("--order", type=int, default=6)
    ap.add_argument("--min-count", type=int, default=4, help="drop histories seen fewer times")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--dev-sentences", type=int, default=2000, help="dev sentences for the perplexity check (0: none)")
    ap.add_argument("--out", required=True, help="the .arpa (or gzipped .arpa.gz) file to write")
    args = ap.parse_args()

    flat, start_of = sequences([s for part in text_of("train", args).values() for s in part])
    orders = witten_bell(count(flat, start_of, args.order), args.min_count, vocab=len(TOKENS))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    write_arpa(args.out, orders)
    summary = {"order": args.order, "min_count": args.min_count, "train_tokens": int(len(flat)),
               "ngrams": [len(o["keys"]) for o in orders], "bytes": os.path.getsize(args.out)}
    if args.dev_sentences:
        by_source = text_of("dev", args)
        dev = [s for part in by_source.values() for s in part]
        rng = np.random.default_rng(args.seed)
        dev = [dev[i] for i in rng.permutation(len(dev))[: args.dev_sentences]]
        ppl, n = perplexity(orders, dev)
        summary.update(dev_token_perplexity=round(ppl, 3), dev_tokens=n,
                       dev_token_perplexity_by_source={k: round(perplexity(orders, v)[0], 3) for k, v in by_source.items() if v})
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
