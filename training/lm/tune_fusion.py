"""Puts a token LM into a model folder and tunes its fusion weights, then its tail padding, on dev, through
`earshot decode` itself.

Decodes the corpus's three dev splits (commands, open text, real speech) with beam search for each
(weight, token bonus) of the grid, and writes the pair with the lowest mean dev WER into model.json's
`decode.lm` with the whole grid beside it (`dev_tuning`), so the model decodes with it by default. Weight 0
(the acoustic model alone) is always measured. With that LM it then decodes the dev splits for each tail
padding (seconds of silence after the input, so the encoder's frames reach past the last word) and writes the
padding into `decode.tail_padding_s`, with its grid (`tail_padding_tuning`): any padding that lowers the mean dev
WER (it only lets the input's last frames emit), the shortest within PADDING_TIE points of the lowest such mean
(every second of padding is a second more to decode). 0 is always measured. Needs the app built (`npm run build`).

    /usr/bin/python3 training/lm/tune_fusion.py --model resources/models/earshot-rnnt \\
        --lm /tmp/tokens-6gram.arpa.gz --corpus /work/cache/corpus
"""
import argparse
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

import report  # noqa: E402

DEV_SPLITS = ("dev_cmd", "dev_open", "dev_real")
# mean dev WER differences below this are a word or two in 600 utterances: the shorter padding wins them
PADDING_TIE = 0.1


def choose_padding(grid):
    """Padding only lets the input's last frames emit, so any padding that lowers the mean dev WER is taken; among
    those, the shortest within PADDING_TIE of the lowest (every second of padding is a second more to decode).
    grid: rows with tail_padding_s and mean, the first at 0."""
    better = [r for r in grid if r["tail_padding_s"] > 0 and r["mean"] < grid[0]["mean"]]
    if not better:
        return grid[0]
    lowest = min(r["mean"] for r in better)
    return min((r for r in better if r["mean"] <= lowest + PADDING_TIE), key=lambda r: r["tail_padding_s"])


def lm_name(arpa_gz):
    """The LM's name in the model folder, by its order (the `ngram N=` lines of its \\data\\ section)."""
    import gzip
    order = 0
    with gzip.open(arpa_gz, "rt") as fh:
        for line in fh:
            if line.startswith("ngram "):
                order += 1
            elif order and not line.strip():
                break
    return f"lm/tokens-{order}gram.arpa.gz"


def dev_wers(model_dir, corpus, splits, weight, bonus, jobs, max_symbols, tail_padding):
    out = {}
    for split, rows in splits.items():
        hyps = report.app_decode_rows(model_dir, [{"audio": r["audio"], "text": r["text"]} for r in rows],
                                      ["--lm-weight", str(weight), "--lm-bonus", str(bonus), "--max-symbols", str(max_symbols),
                                       "--tail-padding", str(tail_padding)],
                                      jobs, corpus)
        out[split] = round(report.wer([(r["text"], h) for r, h in zip(rows, hyps)]), 2)
    out["mean"] = round(sum(out[s] for s in splits) / len(splits), 2)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="the model folder (model.json's decode.lm is rewritten)")
    ap.add_argument("--lm", help="the .arpa.gz to copy into the folder as lm/tokens-<order>gram.arpa.gz (default: the one "
                    "model.json names)")
    ap.add_argument("--corpus", required=True, help="corpus folder with the dev splits (training/corpus.py)")
    ap.add_argument("--weights", default="0.3,0.4,0.5")
    ap.add_argument("--bonuses", default="0.25,0.5")
    ap.add_argument("--tail-paddings", default="0.3,0.6", help="seconds of silence after each input to try with the "
                    "chosen LM (0 is always tried)")
    ap.add_argument("--max-symbols", type=int, default=3, help="tokens per encoder frame, as report.py --max-symbols "
                    "(a freshly exported model.json says nothing yet, and the CLI's default is sherpa-onnx's 1)")
    ap.add_argument("--n", type=int, default=200, help="utterances per dev split")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    meta_path = os.path.join(args.model, "model.json")
    with open(meta_path) as fh:
        meta = json.load(fh)
    if args.lm:
        name = lm_name(args.lm)
        os.makedirs(os.path.join(args.model, "lm"), exist_ok=True)
        shutil.copyfile(args.lm, os.path.join(args.model, name + ".tmp"))
        os.replace(os.path.join(args.model, name + ".tmp"), os.path.join(args.model, name))
    else:
        name = meta.get("decode", {}).get("lm", {}).get("file", "lm/tokens-6gram.arpa.gz")
    if not os.path.exists(os.path.join(args.model, name)):
        raise SystemExit(f"{args.model} has no {name}: give one with --lm (training/lm/token_ngram.py builds it)")
    # the folder must name its LM before the CLI can fuse it; weight 0 until the grid says otherwise
    meta.setdefault("decode", {})["lm"] = {"file": name, "weight": 0, "token_bonus": 0}
    report.write_model_json(args.model, meta)

    splits = {s: report.load_split(args.corpus, s, args.n)[0] for s in DEV_SPLITS}
    grid = [(0.0, 0.0)] + [(float(w), float(b)) for w in args.weights.split(",") for b in args.bonuses.split(",")]
    results = []
    for w, b in grid:
        r = {"weight": w, "token_bonus": b, **dev_wers(args.model, args.corpus, splits, w, b, args.jobs, args.max_symbols, 0)}
        print(json.dumps(r), flush=True)
        results.append(r)
    best = min(results, key=lambda r: r["mean"])
    meta["decode"]["lm"] = {"file": name, "weight": best["weight"], "token_bonus": best["token_bonus"],
                            "dev_tuning": {"rule": "lowest mean WER over the dev splits", "n": args.n,
                                           "max_symbols_per_frame": args.max_symbols, "grid": results}}
    report.write_model_json(args.model, meta)

    paddings = [0.0] + [float(p) for p in args.tail_paddings.split(",") if p.strip() and float(p) != 0]
    padded = [{"tail_padding_s": 0.0, **{k: best[k] for k in (*DEV_SPLITS, "mean")}}]
    for p in paddings[1:]:
        r = {"tail_padding_s": p, **dev_wers(args.model, args.corpus, splits, best["weight"], best["token_bonus"], args.jobs,
                                              args.max_symbols, p)}
        print(json.dumps(r), flush=True)
        padded.append(r)
    chosen_padding = choose_padding(padded)
    meta["decode"]["tail_padding_s"] = chosen_padding["tail_padding_s"]
    meta["decode"]["tail_padding_tuning"] = {"rule": f"any that lowers the mean dev WER with the chosen LM; the shortest within {PADDING_TIE} of the lowest", "n": args.n,
                                             "grid": padded}
    report.write_model_json(args.model, meta)
    print(json.dumps({"chosen": {**{k: best[k] for k in ("weight", "token_bonus")}, "tail_padding_s": chosen_padding["tail_padding_s"],
                                 "mean": chosen_padding["mean"]}}))


if __name__ == "__main__":
    main()
