#!/usr/bin/python3
"""Renders training/CAMPAIGN.md from the campaign's run records (training/campaign/runs/*.json, written by
train.py at every checkpoint), one row per run, so anyone can see whether more training still pays.

Usage: /usr/bin/python3 training/campaign.py
"""
import glob
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
SPLITS = ["cmd", "open", "real"]


def load(folder):
    rows = []
    for p in sorted(glob.glob(os.path.join(folder, "*.json"))):
        with open(p) as fh:
            rows.append(json.load(fh))
    return sorted(rows, key=order_run)


def order_run(r):
    """Newest last: by session (run ids start s<N>), then by the step the run started from (a compress run's
    fork point), a fork before the dense run that resumed from the same step."""
    m = re.match(r"s(\d+)", r["run"])
    start = r["init"]["step"] if r["phase"] == "compress" and r.get("init") else r["steps"][0]
    return (int(m.group(1)) if m else 1 << 30, start, r["phase"] == "dense", r["run"])


def fmt_wer(w):
    return " / ".join(f"{w.get(s, float('nan')):.1f}" for s in SPLITS)


def render(rows):
    L = ["# Training campaign", "",
         "One row per run of `training/train.py` (newest last). Runs of the dense phase continue one another from "
         "the committed checkpoint `training/campaign/dense/ckpt_last.pt` (`--resume`); a compress run forks the dense "
         "weights at some step, prunes and quantizes them (`--phase compress --init ...`) and is what gets exported. "
         "Dev WER is greedy decoding in torch (one symbol per frame, no biasing list) of up to 200 utterances per dev "
         "split: cmd = command grammar, open = held-out sentences, real = the dev slice of real-train; all with "
         "training voices. Rendered by `training/campaign.py` from `training/campaign/runs/`.", "",
         "| run | phase | model | data | wall min | steps | utterances seen (campaign total) | dev WER cmd / open / real (first → last) |",
         "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        c, d = r["config"], r.get("corpus", {})
        model = f"{c['layers']}×{c['hidden']} LSTM, joiner {c['joiner_dim']}"
        if c.get("context", 2) != 2:
            model += f", prediction context {c['context']}"
        if r["phase"] == "compress":
            model += f", sparsity {c['sparsity']}, int8 QAT"
        if c.get("attn_weight"):
            model += f", attention loss {c['attn_weight']}"
        data = f"mix {json.dumps(d.get('mix'))}, engines {len(d.get('engines') or [])}" if d else "-"
        if c.get("gain_fraction"):
            data += f", level {c['gain_db'].replace(',', '…')} dB on {c['gain_fraction']:.0%}"
        hist = r.get("dev_wer") or []
        wer = f"{fmt_wer(hist[0]['dev_wer'])} → {fmt_wer(hist[-1]['dev_wer'])}" if hist else "-"
        # a run that began from given weights (an imported model, or the dense weights a compress run forks)
        init = f" (from {r['init']['from']} at step {r['init']['step']})" if r.get("init") and (r["phase"] == "compress" or r["steps"][0] == r["init"]["step"]) else ""
        L.append(f"| {r['run']} | {r['phase']}{init} | {model} | {data} | {r['wall_minutes']} | "
                 f"{r['steps'][0]} → {r['steps'][1]} | {r.get('utterances_seen', 0)} | {wer} |")
    L += ["", "## Dev WER over time", ""]
    for r in rows:
        hist = r.get("dev_wer") or []
        if not hist:
            continue
        avg = r.get("averaged")
        L.append(f"**{r['run']} ({r['phase']})**: " + "; ".join(
            f"step {h['step']} ({h['minutes']:.0f} min): {fmt_wer(h['dev_wer'])}" for h in hist)
            + (f"; the average of its last {len(avg['steps'])} checkpoints (`average.py`): {fmt_wer(avg['dev_wer'])}" if avg else ""))
        L.append("")
    notes = os.path.join(HERE, "campaign", "NOTES.md")
    if os.path.exists(notes):
        with open(notes) as fh:
            L += ["## Notes", "", fh.read().strip()]
    return "\n".join(L) + "\n"


def main():
    rows = load(os.path.join(HERE, "campaign", "runs"))
    out = os.path.join(HERE, "CAMPAIGN.md")
    tmp = out + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(render(rows))
    os.replace(tmp, out)
    print(f"{len(rows)} runs -> {out}")


if __name__ == "__main__":
    main()
