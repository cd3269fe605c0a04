#!/usr/bin/python3
"""Measure the exported model and write training/REPORT.md + training/report.json (one command).

  /usr/bin/python3 training/report.py --model resources/models/earshot-rnnt --ckpt training/work/ckpt_last.pt

WERs are streaming greedy decodes (--max-symbols per 40 ms frame) of the exported ONNX graphs in
onnxruntime-node (training/ort_decode.mjs): wer_test_fp32 uses the fp32 graphs, everything else the int8
graphs that ship (DynamicQuantizeLSTM/MatMul, sparse weights). The biasing keys come from the app's own
pipeline (`earshot decode`, beam 4, attention + shallow fusion; needs `npm run build`), unless
--no-app-biasing.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SPLIT_KEYS = {"wer_test_cmd": "test_cmd", "wer_test_open": "test_open", "wer_real_test": "test_real",
              "wer_real_dev": "real_dev"}
KEYS = list(SPLIT_KEYS) + ["wer_test_fp32", "wer_test_int8_sparse", "sparsity", "size_fp32_bytes", "size_int8_bytes",
        "size_int8_sparse_compressed_bytes", "rare_name_wer_nolist", "rare_name_wer_list10",
        "rare_name_wer_list100", "nonname_wer_nolist", "nonname_wer_list100", "attention_lights_name_list10",
        "attention_lights_name_list100", "eoq_cutoff_rate", "eoq_nofire_rate",
        "eoq_latency_p50_ms", "eoq_latency_p90_ms", "eoq_cutoff_rate_all", "eoq_cutoff_rate_p05_1frame",
        "eoq_frame_accuracy", "eoq_dev_threshold", "eoq_cutoff_rate_at_dev_threshold", "final_endpoint_cutoff_rate_pauses",
        "wer_real_speech", "train_wall_minutes"]


def align(ref, hyp):
    """Levenshtein alignment; returns (errors, ok flags per ref word)."""
    n, m = len(ref), len(hyp)
    d = np.zeros((n + 1, m + 1), np.int32)
    d[:, 0] = np.arange(n + 1)
    d[0, :] = np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i, j] = min(d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + (ref[i - 1] != hyp[j - 1]))
    ok = [False] * n
    i, j = n, m
    while i > 0 and j > 0:
        if d[i, j] == d[i - 1, j - 1] + (ref[i - 1] != hyp[j - 1]):
            ok[i - 1] = ref[i - 1] == hyp[j - 1]
            i, j = i - 1, j - 1
        elif d[i, j] == d[i - 1, j] + 1:
            i -= 1
        else:
            j -= 1
    return int(d[n, m]), ok


def wer(pairs):
    e = w = 0
    for r, h in pairs:
        ee, _ = align(r.split(), h.split())
        e += ee
        w += len(r.split())
    return 100.0 * e / max(1, w)


def name_positions(text, names):
    words = text.split()
    pos = set()
    for nm in names:
        nw = nm.split()
        for s in range(len(words) - len(nw) + 1):
            if words[s: s + len(nw)] == nw:
                pos.update(range(s, s + len(nw)))
                break
    return pos


def name_wer(rows, hyps):
    """Errors on name words: a ref name word counts as correct only if aligned to the identical hyp word;
    insertions are not counted. Percent of name words."""
    bad = tot = 0
    for r, h in zip(rows, hyps):
        pos = name_positions(r["text"], r["names"])
        _, ok = align(r["text"].split(), h.split())
        tot += len(pos)
        bad += sum(1 for p in pos if not ok[p])
    return 100.0 * bad / max(1, tot)


MAX_SYMBOLS = [1]


def ort_decode(model_dir, variant, feats, contexts=None, jobs=2, max_symbols=None):
    """feats: list of (F, 80) arrays; contexts: list of list-of-token-id-lists (or None)."""
    from model import ids_to_text
    max_symbols = max_symbols or MAX_SYMBOLS[0]
    tmp = tempfile.mkdtemp()
    fpath = os.path.join(tmp, "feats.f32")
    offs, o = [], 0
    with open(fpath, "wb") as fh:
        for f in feats:
            fh.write(np.ascontiguousarray(f, dtype=np.float32).tobytes())
            offs.append(o)
            o += len(f)
    utts = [{"offset": offs[i], "frames": len(feats[i]), "context": (contexts[i] if contexts else None)}
            for i in range(len(feats))]
    parts = [list(range(k, len(utts), jobs)) for k in range(jobs)]
    procs = []
    for k, idx in enumerate(parts):
        jp = os.path.join(tmp, f"job{k}.json")
        with open(jp, "w") as fh:
            json.dump({"dir": os.path.abspath(model_dir), "variant": variant, "feats": fpath,
                       "max_symbols": max_symbols, "utts": [utts[i] for i in idx]}, fh)
        procs.append(subprocess.Popen(["node", os.path.join(HERE, "ort_decode.mjs"), jp], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, cwd=ROOT))
    res = [None] * len(utts)
    for p, idx in zip(procs, parts):
        out, err = p.communicate()
        if p.returncode != 0:
            raise RuntimeError(f"ort_decode failed: {err.decode()[-2000:]}")
        for i, r in zip(idx, json.loads(out)):
            r["text"] = ids_to_text(r["ids"])
            res[i] = r
    return res


EOQ_SPLITS = ("test_cmd", "test_open")
EOQ_DEV_SPLITS = ("dev_cmd", "dev_open")


def decode_for_eoq(model_dir, corpus, splits, jobs, log):
    """`earshot decode` with the app's defaults over whole splits: {split: (rows, lines)}."""
    out = {}
    for split in splits:
        rows, _ = load_split(corpus, split)
        _, lines = app_decode_rows(model_dir, [{"audio": r["audio"], "text": r["text"], "speech_end": r["speech_end"]}
                                               for r in rows], [], jobs, corpus, keep_lines=True)
        out[split] = (rows, lines)
        log(f"{split} decoded for the end-of-query head")
    return out


def eoq_section(model_dir, test, dev):
    """The end-of-query head as the app decides with it (eoq_eval.py), on the test utterances with
    mid-utterance pauses (the issue's target) and on all of them; the first report's 0.5 / any-frame
    figures; the app's whole final end-pointer; and the least threshold that meets the 5 % target on
    the dev utterances with pauses, with what it costs on test. test, dev: {split: (rows, lines)}.
    Returns (report.json keys, details)."""
    import eoq_eval as E
    knobs = E.default_knobs(model_dir=model_dir)
    for rows_lines in (*test.values(), *dev.values()):
        E.check_against_app(rows_lines[1], knobs)
    pooled = E.pooled

    def head(parts, pauses_only, thr=None):
        lines, ends = pooled(parts, pauses_only)
        return E.stats(E.head_fires(lines, knobs, thr), ends)

    def app_final(lines, ends):
        return E.stats([l["endpoints"]["final_s"] for l in lines], ends)

    def final_at(lines, ends, thr):
        times = []
        for l in lines:
            f = E.first_fire(l, thr, knobs["eoqFrames"], knobs["eoqMinTrailingSilenceS"], knobs["minTrailingSilenceS"],
                             knobs["maxUtteranceS"])
            times.append(None if f is None else float(E.decision_times(l)[f]))
        return E.stats(times, ends)

    pz_lines, pz_ends = pooled(test, True)
    all_lines, all_ends = pooled(test, False)
    cmd_rows, cmd_lines = test["test_cmd"]
    head_pz, head_all = head(test, True), head(test, False)
    old = E.old_head_figures(cmd_lines, [r["speech_end"] for r in cmd_rows])
    dev_lines, dev_ends = pooled(dev, True)
    thr, sweep = E.dev_threshold(dev_lines, dev_ends, knobs)
    at_thr = None
    if thr is not None:
        at_thr = {"head_pauses": head(test, True, thr), "head_all": head(test, False, thr),
                  "final_pauses": final_at(pz_lines, pz_ends, thr), "final_all": final_at(all_lines, all_ends, thr)}
    details = {
        "knobs": knobs, "splits": list(test), "dev_splits": list(dev), "n_pauses": len(pz_lines), "n_all": len(all_lines),
        "by_split_pauses": {s: head({s: test[s]}, True) for s in test},
        "head_pauses": head_pz, "head_all": head_all,
        "final_pauses": app_final(pz_lines, pz_ends), "final_all": app_final(all_lines, all_ends),
        "old_p05_any_frame_test_cmd": old,
        "dev_threshold": thr, "dev_sweep_pauses": {str(t): v for t, v in sweep.items()}, "n_dev_pauses": len(dev_lines),
        "at_dev_threshold": at_thr,
    }
    keys = {"eoq_cutoff_rate": head_pz["cutoff_rate"], "eoq_nofire_rate": head_pz["nofire_rate"],
            "eoq_latency_p50_ms": head_pz["latency_p50_ms"], "eoq_latency_p90_ms": head_pz["latency_p90_ms"],
            "eoq_cutoff_rate_all": head_all["cutoff_rate"], "eoq_cutoff_rate_p05_1frame": old["cutoff_rate"],
            "eoq_frame_accuracy": old["frame_accuracy"], "eoq_dev_threshold": thr,
            "eoq_cutoff_rate_at_dev_threshold": at_thr["head_pauses"]["cutoff_rate"] if at_thr else None,
            "final_endpoint_cutoff_rate_pauses": details["final_pauses"]["cutoff_rate"]}
    return keys, details


def load_split(corpus, split, n=None):
    from train import Corpus
    c = Corpus(corpus, split)
    rows, feats = c.rows[:n], [f.astype(np.float32) for f in c.feats[:n]]
    return rows, feats


def attention_lights(rows, ents, decoded):
    """Share of the names in the lists whose own entry draws the highest attention peak over the utterance (of all
    the list's entries; chance is 1 / list size): whether the attention map lights the right entry."""
    hits = total = 0
    for r, e, d in zip(rows, ents, decoded):
        peaks = d.get("attn_peak")
        if not peaks:
            continue
        for name in set(r["names"]):
            total += 1
            own = peaks[1 + e.index(name)]
            hits += own > max(p for j, p in enumerate(peaks[1:]) if e[j] != name)
    return hits / total if total else None


def make_lists(rows, pool, size, seed):
    from model import text_to_ids
    out, ents = [], []
    for i, r in enumerate(rows):
        rng = np.random.default_rng([seed, i, size])
        true = sorted(set(r["names"]))
        cand = [p for p in pool if p not in true]
        k = max(0, size - len(true))
        dis = [cand[j] for j in rng.choice(len(cand), size=k, replace=False)]
        e = true + dis
        e = [e[j] for j in rng.permutation(len(e))]
        ents.append(e)
        out.append([text_to_ids(x) for x in e])
    return out, ents


APP_BIAS_MODES = {"attention+fusion": [], "attention": ["--no-shallow-fusion"], "fusion": ["--no-attention-bias"],
                  "attention+fusion, sherpa-onnx style": ["--fusion", "sherpa"]}
FUSION_STYLE = "words"


def app_decode(model_dir, rows, lists, flags, jobs, corpus):
    """Decodes rows (audio relative to the corpus folder) with `earshot decode`; hyps in row order."""
    return app_decode_rows(model_dir, [{"audio": r["audio"], "text": r["text"], "context": e} for r, e in zip(rows, lists)],
                           flags, jobs, corpus)


def app_decode_rows(model_dir, rows, flags, jobs, corpus, keep_lines=False):
    """Decodes rows with the app's own pipeline (`earshot decode`: streaming fbank in TypeScript, modified beam
    search, beam 4), each row with its own biasing list (the manifest's `context`). Returns hyps in row order,
    and with keep_lines also each line's trace, partials and end-pointer decisions (for eoq_eval.py)."""
    cli = os.path.join(ROOT, "bin", "earshot.js")
    if not os.path.exists(os.path.join(ROOT, "out", "main", "cli.js")):
        raise RuntimeError("the app's CLI is not built: run `npm run build` first")
    tmp = tempfile.mkdtemp()
    out = os.path.join(tmp, "out.jsonl")
    # absolute audio paths: the CLI reads a manifest's audio wherever it lies, and the corpus stays untouched
    man = os.path.join(tmp, "manifest.jsonl")
    with open(man, "w") as fh:
        for i, r in enumerate(rows):
            fh.write(json.dumps({"id": f"u{i}", **r, "audio": os.path.join(os.path.abspath(corpus), r["audio"])}) + "\n")
    p = subprocess.run(["node", cli, "decode", man, "--out", out, "--model", os.path.abspath(model_dir),
                        "--workers", str(jobs), *flags], cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"earshot decode failed: {p.stderr[-2000:]}")
    hyps, lines = {}, {}
    with open(out) as fh:
        for l in fh:
            d = json.loads(l)
            if d.get("error"):
                raise RuntimeError(f"earshot decode: {d['audio']}: {d['error']}")
            hyps[d["id"]] = d["hyp"]
            if keep_lines:
                tr = d["trace"]
                lines[d["id"]] = {"id": rows[int(d["id"][1:])]["audio"], "endpoints": d["endpoints"],
                                  "partials": [{"numFrames": c["numFrames"], "timeS": c["timeS"]} for c in d["partials"]],
                                  "trace": {k: tr[k] for k in ("frameShiftS", "numFrames", "eoqProb", "emitted")}}
    shutil.rmtree(tmp, ignore_errors=True)
    ordered = [hyps[f"u{i}"] for i in range(len(rows))]
    return (ordered, [lines[f"u{i}"] for i in range(len(rows))]) if keep_lines else ordered


def app_biasing(model_dir, rows, name_idx, non_idx, pool, seed, jobs, corpus, log, base_flags):
    """Rare-name and non-name WER under the app's biasing: the attention module and shallow fusion (Aho-Corasick
    context graph, per-token boost) together, and each alone."""
    nrows = [rows[i] for i in name_idx]
    orows = [rows[i] for i in non_idx]
    lists = {0: [[] for _ in nrows]}
    for size in (10, 100):
        lists[size] = make_lists(nrows, pool, size, seed)[1]
    other100 = make_lists(orows, pool, 100, seed + 1)[1]

    def run(rs, ls, flags):
        return app_decode(model_dir, rs, ls, base_flags + flags, jobs, corpus)

    def nonname_wer(hyps):
        return wer([(r["text"], h) for r, h in zip(orows, hyps)])

    nolist = {"rare_name_wer_nolist": name_wer(nrows, run(nrows, lists[0], [])),
              "nonname_wer_nolist": nonname_wer(run(orows, [[] for _ in orows], []))}
    out = {}
    for mode, flags in APP_BIAS_MODES.items():
        m = dict(nolist)
        for size in (10, 100):
            m[f"rare_name_wer_list{size}"] = name_wer(nrows, run(nrows, lists[size], flags))
        m["nonname_wer_list100"] = nonname_wer(run(orows, other100, flags))
        out[mode] = m
        log(f"app biasing ({mode}) decoded")
    return out


BOOST_GRID = [0.25, 0.4, 0.5, 0.6, 0.75, 1.0, 1.5]
NONNAME_BUDGET = 0.5


def tune_split(corpus):
    """dev_names (names the model never heard, as the test's) where the corpus has it; else dev_cmd, whose names
    are the training names: the model knows them, so it asks less of the boost than unheard names do."""
    return "dev_names" if os.path.exists(os.path.join(corpus, "dev_names-0000.done")) else "dev_cmd"


def tune_fusion_boost(model_dir, corpus, pool, seed, jobs, base_flags, log):
    """The shallow-fusion boost for the issue's two targets, on the dev split: the lowest rare-name WER with
    100-entry lists (the utterance's names plus distractors) among the boosts that cost the utterances
    without a name at most NONNAME_BUDGET points of WER with 100 distractors; when none keeps to it, the one
    that costs them least. On dev_names the distractors come from the training and dev pools."""
    split = tune_split(corpus)
    rows, _ = load_split(corpus, split)
    if split == "dev_names":
        pool = name_pool(corpus, ("dev", "train"))
    log(f"fusion boost tuned on {split}")
    nrows = [r for r in rows if r["names"]]
    orows = [r for r in rows if not r["names"]]
    nlists = make_lists(nrows, pool, 100, seed + 2)[1]
    olists = make_lists(orows, pool, 100, seed + 3)[1]

    def score(flags, with_lists):
        nh = app_decode(model_dir, nrows, nlists if with_lists else [[] for _ in nrows], base_flags + flags, jobs, corpus)
        oh = app_decode(model_dir, orows, olists if with_lists else [[] for _ in orows], base_flags + flags, jobs, corpus)
        return name_wer(nrows, nh), wer([(r["text"], h) for r, h in zip(orows, oh)])

    name0, non0 = score([], False)
    log(f"dev without a list: rare-name WER {name0:.2f}, non-name WER {non0:.2f}")
    scores = {}
    for boost in BOOST_GRID:
        scores[boost] = score(["--boost", str(boost)], True)
        log(f"dev with 100-entry lists, boost {boost}: rare-name WER {scores[boost][0]:.2f}, non-name {scores[boost][1]:.2f}")
    within = [b for b in BOOST_GRID if scores[b][1] - non0 <= NONNAME_BUDGET]
    best = min(within, key=lambda b: scores[b][0]) if within else min(BOOST_GRID, key=lambda b: scores[b][1])
    return best, {"split": split, "n_name_utts": len(nrows), "n_nonname_utts": len(orows),
                  "nolist": {"rare_name": round(name0, 2), "nonname": round(non0, 2)},
                  "by_boost": {str(b): {"rare_name": round(v[0], 2), "nonname": round(v[1], 2)} for b, v in scores.items()},
                  "within_budget": bool(within)}


def real_dev_rows(manifest, corpus):
    """The real dev recordings as rows under the corpus folder (16-bit WAV copies in audio/real_dev/), since
    the CLI reads audio under the manifest's folder and ../shared is read-only."""
    import soundfile as sf
    base = os.path.dirname(manifest)
    out_dir = os.path.join(corpus, "audio", "real_dev")
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    with open(manifest) as fh:
        for i, l in enumerate(fh):
            r = json.loads(l)
            rel = os.path.join("audio", "real_dev", f"real_dev-{i:03d}.wav")
            if not os.path.exists(os.path.join(corpus, rel)):
                x, sr = sf.read(os.path.join(base, r["audio"]), dtype="float32")
                sf.write(os.path.join(corpus, rel), x if x.ndim == 1 else x.mean(1), sr, subtype="PCM_16")
            rows.append({"audio": rel, "text": r["text"], "voice": f"real:{r.get('corpus', 'unknown')}"})
    return rows


def split_wers(model_dir, corpus, real_manifest, jobs, log, n=None, keep=(), flags=()):
    """WER of every test split through `earshot decode` with its defaults (the model's own decode settings),
    with a breakdown by voice (synthetic) and by corpus (real). Returns (keys, details, {split: (rows, lines)})
    with the decode lines of the splits in `keep` (their end of speech goes into the manifest)."""
    keys, details, kept = {}, {}, {}
    for key, split in SPLIT_KEYS.items():
        if split == "real_dev":
            if not os.path.exists(real_manifest):
                keys[key] = None
                continue
            rows = real_dev_rows(real_manifest, corpus)
        else:
            rows, _ = load_split(corpus, split, n)
        if split in keep:
            hyps, lines = app_decode_rows(model_dir, [{"audio": r["audio"], "text": r["text"], "speech_end": r["speech_end"]}
                                                      for r in rows], list(flags), jobs, corpus, keep_lines=True)
            kept[split] = (rows, lines)
        else:
            hyps = app_decode_rows(model_dir, [{"audio": r["audio"], "text": r["text"]} for r in rows], list(flags), jobs, corpus)
        keys[key] = round(wer([(r["text"], h) for r, h in zip(rows, hyps)]), 2)
        groups = {}
        for r, h in zip(rows, hyps):
            v = r["voice"].split(":")
            g = f"{v[0]}:{v[1]}" if v[0] == "real" else v[0] + (":" + r["voice"].split("+")[-1] if "+" in r["voice"] else ":" + v[1] if v[0] != "espeak" else "")
            groups.setdefault(g, []).append((r["text"], h))
        details[split] = {"n": len(rows), "wer": keys[key], "by_voice_or_corpus": {g: round(wer(p), 2) for g, p in sorted(groups.items())},
                          "examples": [{"ref": r["text"], "hyp": h} for r, h in list(zip(rows, hyps))[:5]]}
        log(f"{split}: WER {keys[key]} on {len(rows)} utterances")
    return keys, details, kept


def real_speech(model_dir, variants, manifest):
    import soundfile as sf
    from corpus import fbank
    base = os.path.dirname(manifest)
    rows, feats = [], []
    with open(manifest) as fh:
        for l in fh:
            r = json.loads(l)
            x, sr = sf.read(os.path.join(base, r["audio"]), dtype="float32")
            if x.ndim > 1:
                x = x.mean(1)
            assert sr == 16000
            rows.append(r)
            feats.append(fbank(x))
    out = {}
    for v in variants:
        res = ort_decode(model_dir, v, feats)
        out[v] = {"wer": wer([(r["text"], d["text"]) for r, d in zip(rows, res)]),
                  "examples": [{"ref": r["text"], "hyp": d["text"]} for r, d in list(zip(rows, res))[:6]]}
    return out, len(rows)


def app_bias_section(args, rows, name_idx, non_idx, pool, log):
    """The app's biasing on test_cmd with the fusion boost tuned on dev: (WERs by mode, settings)."""
    base_flags = ["--beam", "4", "--max-symbols", str(args.max_symbols), "--fusion", FUSION_STYLE]
    boost, tuning = tune_fusion_boost(args.model, args.corpus, pool, args.seed, args.jobs, base_flags, log)
    app = app_biasing(args.model, rows, name_idx, non_idx, pool, args.seed, args.jobs, args.corpus, log,
                      base_flags + ["--boost", str(boost)])
    return app, {"beam": 4, "max_symbols_per_frame": args.max_symbols, "fusion": FUSION_STYLE, "fusion_boost": boost,
                 "dev_tuning": tuning}


def only_section(args, log):
    """One section of the report on its own (--only): printed and written to --only-out, nothing else touched."""
    if args.only == "eoq":
        keys, details = eoq_section(args.model, decode_for_eoq(args.model, args.corpus, EOQ_SPLITS, args.jobs, log),
                                    decode_for_eoq(args.model, args.corpus, EOQ_DEV_SPLITS, args.jobs, log))
    else:
        rows, _ = load_split(args.corpus, "test_cmd", args.n_test)
        pool = name_pool(args.corpus)
        name_idx = [i for i, r in enumerate(rows) if r["names"]]
        non_idx = [i for i, r in enumerate(rows) if not r["names"]]
        app, details = app_bias_section(args, rows, name_idx, non_idx, pool, log)
        keys = app["attention+fusion"]
        details = {**details, "by_mode": app}
    out = {"model": os.path.relpath(args.model, ROOT), **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in keys.items()},
           "details": details}
    if args.only_out:
        with open(args.only_out, "w") as fh:
            json.dump(out, fh, indent=1)
    print(json.dumps(out, indent=1))


def name_pool(corpus, parts=("test", "train")):
    """Every name of these parts of the grammar's pools, surnames aside: the distractors' pool."""
    with open(os.path.join(corpus, "names.json")) as fh:
        names = json.load(fh)
    return sorted({n for k, v in names.items() if k != "surname" for part in parts for n in v.get(part, [])})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(ROOT, "resources", "models", "earshot-rnnt"))
    ap.add_argument("--ckpt", default=os.path.join(HERE, "work", "ckpt_last.pt"))
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--real", default=os.path.join(ROOT, "..", "shared", "data", "real-speech", "manifest.jsonl"))
    ap.add_argument("--n-test", type=int, default=None)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=77)
    ap.add_argument("--max-symbols", type=int, default=1, help="greedy: max symbols per encoder frame for the keys")
    ap.add_argument("--no-app-biasing", action="store_true",
                    help="biasing keys from greedy + attention only (skip the app's beam search with shallow fusion)")
    ap.add_argument("--splits-only", metavar="JSON", help="only the split WERs (earshot decode defaults) into JSON, "
                    "e.g. to compare a candidate with the shipped model")
    ap.add_argument("--only", choices=["bias", "eoq"], help="one section on its own, printed (and written to "
                    "--only-out); the report files and model.json stay as they are")
    ap.add_argument("--only-out", metavar="JSON", help="with --only: where to write its figures")
    ap.add_argument("--into-report", action="store_true", help="with --splits-only: also merge the split WERs into "
                    "--out-json and rewrite the test-split section of --out-md (for the model that ships)")
    ap.add_argument("--out-md", default=os.path.join(HERE, "REPORT.md"))
    ap.add_argument("--out-json", default=os.path.join(HERE, "report.json"))
    args = ap.parse_args()
    t0 = time.time()
    MAX_SYMBOLS[0] = args.max_symbols
    def log(s):
        print(f"[{time.time() - t0:6.1f}s] {s}", flush=True)

    if args.only:
        only_section(args, log)
        return
    if args.splits_only:
        keys, details, _ = split_wers(args.model, args.corpus, args.real, args.jobs, log, args.n_test)
        with open(args.splits_only, "w") as fh:
            json.dump({"model": os.path.relpath(args.model, ROOT), **keys, "details": details}, fh, indent=1)
        if args.into_report:
            merge_split_keys(args.out_json, args.out_md, keys, details)
        print(json.dumps(keys, indent=1))
        return
    with open(os.path.join(args.model, "model.json")) as fh:
        meta = json.load(fh)
    rows, feats = load_split(args.corpus, "test_cmd", args.n_test)
    pool = name_pool(args.corpus)
    name_idx = [i for i, r in enumerate(rows) if r["names"]]
    non_idx = [i for i, r in enumerate(rows) if not r["names"]]
    rep, extra = {}, {}

    r8 = ort_decode(args.model, "int8", feats, jobs=args.jobs)
    log("int8 test decoded")
    r32 = ort_decode(args.model, "fp32", feats, jobs=args.jobs)
    log("fp32 test decoded")
    other = 1 if args.max_symbols != 1 else 3
    r8o = ort_decode(args.model, "int8", feats, jobs=args.jobs, max_symbols=other)
    extra["max_symbols_per_frame"] = args.max_symbols
    extra[f"wer_test_int8_max_symbols_{other}"] = wer([(r["text"], d["text"]) for r, d in zip(rows, r8o)])
    log(f"int8 test decoded with max {other} symbols per frame")
    rep["wer_test_fp32"] = wer([(r["text"], d["text"]) for r, d in zip(rows, r32)])
    rep["wer_test_int8_sparse"] = wer([(r["text"], d["text"]) for r, d in zip(rows, r8)])
    rep["sparsity"] = meta["sparsity_overall"]
    rep["size_fp32_bytes"] = meta["sizes"]["fp32_total"]
    rep["size_int8_bytes"] = meta["sizes"]["int8_total"]
    rep["size_int8_sparse_compressed_bytes"] = meta["sizes"]["int8_sparse_compressed_total"]
    nrows = [rows[i] for i in name_idx]
    nfeats = [feats[i] for i in name_idx]
    rep["rare_name_wer_nolist"] = name_wer(nrows, [r8[i]["text"] for i in name_idx])
    l10, e10 = make_lists(nrows, pool, 10, args.seed)
    l100, e100 = make_lists(nrows, pool, 100, args.seed)
    b10 = ort_decode(args.model, "int8", nfeats, l10, jobs=args.jobs)
    log("list10 decoded")
    b100 = ort_decode(args.model, "int8", nfeats, l100, jobs=args.jobs)
    log("list100 decoded")
    rep["rare_name_wer_list10"] = name_wer(nrows, [d["text"] for d in b10])
    rep["rare_name_wer_list100"] = name_wer(nrows, [d["text"] for d in b100])
    rep["attention_lights_name_list10"] = attention_lights(nrows, e10, b10)
    rep["attention_lights_name_list100"] = attention_lights(nrows, e100, b100)
    orows = [rows[i] for i in non_idx]
    ofeats = [feats[i] for i in non_idx]
    rep["nonname_wer_nolist"] = wer([(rows[i]["text"], r8[i]["text"]) for i in non_idx])
    lo100, _ = make_lists(orows, pool, 100, args.seed + 1)
    bo100 = ort_decode(args.model, "int8", ofeats, lo100, jobs=args.jobs)
    log("nonname list100 decoded")
    rep["nonname_wer_list100"] = wer([(r["text"], d["text"]) for r, d in zip(orows, bo100)])
    extra["biasing_greedy_attention_only"] = {k: rep[k] for k in ["rare_name_wer_nolist", "rare_name_wer_list10",
                                                                   "rare_name_wer_list100", "nonname_wer_nolist",
                                                                   "nonname_wer_list100"]}
    if not args.no_app_biasing:
        extra["biasing_app"], extra["biasing_app_settings"] = app_bias_section(args, rows, name_idx, non_idx, pool, log)
        rep.update(extra["biasing_app"]["attention+fusion"])
    # the runtime decodes with these unless told otherwise (src/engine/asr/model-dir.ts, ModelDecoding); the
    # split WERs below are `earshot decode` with these defaults
    # the token LM, its dev-tuned weights and the tail padding (training/lm/tune_fusion.py) stay as they were
    kept = {k: v for k, v in meta.get("decode", {}).items() if k in ("lm", "tail_padding_s", "tail_padding_tuning")}
    meta["decode"] = {**kept,
                      "max_symbols_per_frame": args.max_symbols,
                      "note": "metrics measured with this many symbols per frame; sherpa-onnx's greedy search emits at "
                              f"most 1 (int8 test WER then {extra.get('wer_test_int8_max_symbols_1', rep['wer_test_int8_sparse'])})"}
    if "biasing_app_settings" in extra:
        meta["decode"]["fusion_boost"] = extra["biasing_app_settings"]["fusion_boost"]
        meta["decode"]["fusion"] = FUSION_STYLE
    write_model_json(args.model, meta)
    split_keys, extra["splits"], eoq_test = split_wers(args.model, args.corpus, args.real, args.jobs, log, keep=EOQ_SPLITS)
    rep.update(split_keys)
    if "lm" in meta["decode"]:
        # the acoustic model's own progress, and what the LM adds on each split
        no_lm, extra["splits_no_lm"], _ = split_wers(args.model, args.corpus, args.real, args.jobs, log, flags=("--lm-weight", "0"))
        extra["splits_no_lm"]["wer"] = no_lm
    eoq_keys, extra["eoq"] = eoq_section(args.model, eoq_test, decode_for_eoq(args.model, args.corpus, EOQ_DEV_SPLITS, args.jobs, log))
    rep.update(eoq_keys)
    extra["name_utts_wer"] = {"nolist": wer([(rows[i]["text"], r8[i]["text"]) for i in name_idx]),
                              "list10": wer([(r["text"], d["text"]) for r, d in zip(nrows, b10)]),
                              "list100": wer([(r["text"], d["text"]) for r, d in zip(nrows, b100)])}
    real = {}
    if os.path.exists(args.real):
        real, n_real = real_speech(args.model, ["int8", "fp32"], args.real)
        rep["wer_real_speech"] = real["int8"]["wer"]
        extra["real_speech"] = {"n": n_real, **real}
        log("real speech decoded")
    else:
        rep["wer_real_speech"] = None
    tw = None
    if os.path.exists(args.ckpt):
        import torch
        ck = torch.load(args.ckpt)
        st = ck.get("state", {})
        tw = st.get("train_wall_minutes", st.get("elapsed", 0) / 60)
        extra["train_state"] = {"steps": st.get("step"), "epochs_done": st.get("epoch"),
                                "dev_history": st.get("history", [])}
    rep["train_wall_minutes"] = tw
    rep = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in rep.items()}
    rep = {k: rep.get(k) for k in KEYS}
    with open(args.out_json, "w") as fh:
        json.dump(rep, fh, indent=1)
    # per-voice-type breakdown and examples
    by_voice = {}
    for r, d in zip(rows, r8):
        k = r["voice"].split(":")[0] + (":" + r["voice"].split("+")[-1] if "+" in r["voice"] else "")
        by_voice.setdefault(k, []).append((r["text"], d["text"]))
    extra["wer_by_voice"] = {k: round(wer(v), 2) for k, v in sorted(by_voice.items())}
    extra["examples"] = [{"ref": rows[i]["text"], "int8": r8[i]["text"], "fp32": r32[i]["text"],
                          "names": rows[i]["names"]} for i in range(min(12, len(rows)))]
    extra["name_examples"] = [{"ref": nrows[i]["text"], "nolist": r8[name_idx[i]]["text"], "list100": b100[i]["text"]}
                              for i in range(min(10, len(nrows)))]
    extra["n_test"] = len(rows)
    extra["n_name_utts"] = len(name_idx)
    extra["n_nonname_utts"] = len(non_idx)
    extra["fp32_int8_hyp_agreement"] = float(np.mean([a["text"] == b["text"] for a, b in zip(r8, r32)]))
    with open(os.path.join(HERE, "report_details.json"), "w") as fh:
        json.dump(extra, fh, indent=1)
    write_md(args.out_md, rep, extra, meta)
    merge_split_keys(args.out_json, args.out_md, split_keys, extra["splits"], extra.get("splits_no_lm", {}).get("wer"))
    # embed metrics into model.json (sha256 covers graphs and tokens only)
    meta["metrics"] = rep
    write_model_json(args.model, meta)
    log("report written")
    print(json.dumps(rep, indent=1))


SPLITS_BEGIN, SPLITS_END = "<!-- test splits: begin -->", "<!-- test splits: end -->"


def splits_md(keys, details, no_lm=None):
    L = [SPLITS_BEGIN, "## Test splits of the campaign's corpus\n",
         "`earshot decode` with the model's own defaults (`model.json` → `decode`: modified beam search, beam 4) on the "
         "splits `training/corpus.py` makes: `test_cmd` = the command grammar with held-out names and held-out voices "
         "(12 espeak-ng variants, flite rms, festival ked_diphone, pico en-GB, RHVoice clb); `test_open` = held-out "
         "sentences of `sentences.txt` in the held-out voices; `test_real` = the real-train test split (AN4, Speech "
         "Commands and FSDD speakers never trained on); `real_dev` = `../shared/data/real-speech/manifest.jsonl`.\n",
         *(["The model fuses its token LM (`decode.lm`); the second column is the acoustic model alone "
            "(`--lm-weight 0`).\n", "| key | WER % | without the LM | utterances |", "|---|---|---|---|"] if no_lm else
           ["| key | WER % | utterances |", "|---|---|---|"])]
    for key, split in SPLIT_KEYS.items():
        d = details.get(split, {})
        L.append(f"| `{key}` | {keys.get(key)} |" + (f" {no_lm.get(key)} |" if no_lm else "") + f" {d.get('n', '-')} |")
    L.append("")
    for split, d in details.items():
        L.append(f"**{split}** by voice or corpus: " + ", ".join(f"{g} {w}" for g, w in d["by_voice_or_corpus"].items()) + "\n")
        for e in d["examples"][:3]:
            L.append(f"- ref `{e['ref']}` · hyp `{e['hyp']}`")
        L.append("")
    L.append(SPLITS_END)
    return "\n".join(L)


def merge_split_keys(out_json, out_md, keys, details, no_lm=None):
    """The split WERs into an existing report: report.json's keys, report_details.json's "splits", and the
    REPORT.md section between the markers (added after the key table when missing)."""
    with open(out_json) as fh:
        rep = json.load(fh)
    rep = {**{k: keys.get(k) for k in SPLIT_KEYS}, **{k: v for k, v in rep.items() if k not in SPLIT_KEYS}}
    with open(out_json, "w") as fh:
        json.dump(rep, fh, indent=1)
    det_path = os.path.join(os.path.dirname(out_json), "report_details.json")
    if os.path.exists(det_path):
        with open(det_path) as fh:
            det = json.load(fh)
        det["splits"] = details
        no_lm = no_lm or det.get("splits_no_lm", {}).get("wer")
        with open(det_path, "w") as fh:
            json.dump(det, fh, indent=1)
    with open(out_md) as fh:
        md = fh.read()
    section = splits_md(keys, details, no_lm)
    if SPLITS_BEGIN in md:
        md = md[: md.index(SPLITS_BEGIN)] + section + md[md.index(SPLITS_END) + len(SPLITS_END):]
    else:
        at = md.index("## Test set")
        md = md[:at] + section + "\n\n" + md[at:]
    with open(out_md, "w") as fh:
        fh.write(md)


def write_model_json(model_dir, meta):
    path = os.path.join(model_dir, "model.json")
    with open(path + ".tmp", "w") as fh:
        json.dump(meta, fh, separators=(",", ":"))
    os.replace(path + ".tmp", path)


def dev_wer_text(w):
    """A dev WER of the history: one number (older runs) or one per split (the campaign: cmd / open / real)."""
    return " / ".join(f"{w[k]:.1f}" for k in ("cmd", "open", "real") if k in w) if isinstance(w, dict) else f"{w:.1f}"


def write_eoq_md(a, eq):
    """The end-of-query section of REPORT.md from eoq_section's details."""
    k = eq["knobs"]

    def ms(v):
        return "–" if v is None else f"{v:.0f}"

    def row(name, st):
        return (f"| {name} | {st['n']} | {100 * st['cutoff_rate']:.1f} % | {100 * st['nofire_rate']:.1f} % | "
                f"{ms(st['latency_p50_ms'])} / {ms(st['latency_p90_ms'])} | {ms(st['app_latency_p50_ms'])} / {ms(st['app_latency_p90_ms'])} |")

    a("## End-of-query head\n")
    a(f"Measured as the app decides with it (`training/eoq_eval.py`): the final end-pointer's end-of-query rule with the "
      "knobs a decode with this model gets (`src/engine/endpoint/default-knobs.json`, at the model's own end-of-query "
      "threshold: `model.json` → `eoq.default_threshold`, which `training/calibrate_eoq.py` sets on dev): P(end of query) ≥ "
      f"{k['eoqThreshold']} on {k['eoqFrames']} "
      f"frames in a row, at least {k['eoqMinTrailingSilenceS']} s since the 1-best last emitted, something decoded. The "
      "traces are `earshot decode` lines with the app's defaults; the report re-derives the app's whole final decision "
      "from them and stops if it differs from the one the app wrote. A decision is known at the end of its 320 ms "
      "encoder chunk; it cuts the utterance off when that is before the labelled end of speech (the app's definition, "
      f"no tolerance). Test utterances: {', '.join(eq['splits'])} ({eq['n_all']}), of which {eq['n_pauses']} have "
      "mid-utterance pauses (the issue's target: cut-off ≤ 5 % on those). Latency: decision time − end of speech, over "
      "the utterances where it fired at or after the end; the app's statistics instead take every utterance, a cut-off "
      "as negative and a no-fire (nothing within the audio) at the 20 s timeout.\n")
    a("| rule | utterances | cut-off | no fire | latency p50 / p90 ms (fired after the end) | app-style p50 / p90 ms |")
    a("|---|---|---|---|---|---|")
    a(row(f"end-of-query rule, pauses (`eoq_cutoff_rate`)", eq["head_pauses"]))
    for split, st in eq["by_split_pauses"].items():
        a(row(f"end-of-query rule, pauses, {split}", st))
    a(row("end-of-query rule, all (`eoq_cutoff_rate_all`)", eq["head_all"]))
    a(row("the app's whole final end-pointer (+ 0.8 s silence, 20 s), pauses", eq["final_pauses"]))
    a(row("the app's whole final end-pointer, all", eq["final_all"]))
    a("")
    old = eq["old_p05_any_frame_test_cmd"]
    a(f"The first report's figures (`eoq_cutoff_rate_p05_1frame`, `eoq_frame_accuracy`; test_cmd, every utterance): "
      f"any single frame with P > 0.5 ending before the end of speech counts as a cut-off: {100 * old['cutoff_rate']:.1f} %; "
      f"frame accuracy against 'the frame ends ≥ 40 ms after the end' {old['frame_accuracy']:.4f}.\n")
    thr = eq["dev_threshold"]
    sweep = eq["dev_sweep_pauses"]
    a(f"A threshold for ≤ 5 % on the dev utterances with pauses ({', '.join(eq['dev_splits'])}, {eq['n_dev_pauses']}): the "
      "least one on a 0.02 grid (a higher threshold only fires later, so it is also the least latency). Dev cut-off / no "
      "fire by threshold: " + ", ".join(f"{t} {100 * v['cutoff_rate']:.0f}/{100 * v['nofire_rate']:.0f} %"
                                         for t, v in sweep.items() if float(t) >= 0.7) + ".\n")
    if thr is None:
        a("No threshold on the grid meets it on dev.\n")
    elif thr == k["eoqThreshold"]:
        a(f"That is {thr}, the model's default threshold above: `calibrate_eoq.py` chose it by this rule on these dev utterances.\n")
    else:
        at = eq["at_dev_threshold"]
        a(f"Chosen on dev: {thr}. On test at {thr}:\n")
        a("| rule | utterances | cut-off | no fire | latency p50 / p90 ms (fired after the end) | app-style p50 / p90 ms |")
        a("|---|---|---|---|---|---|")
        a(row(f"end-of-query rule at {thr}, pauses", at["head_pauses"]))
        a(row(f"end-of-query rule at {thr}, all", at["head_all"]))
        a(row(f"final end-pointer with eoq ≥ {thr}, pauses", at["final_pauses"]))
        a(row(f"final end-pointer with eoq ≥ {thr}, all", at["final_all"]))
        a("")


def write_md(path, rep, extra, meta):
    tr = meta.get("training", {})
    L = []
    a = L.append
    a("# Earshot RNN-T: training report\n")
    a("Generated by `training/report.py` from the exported model in `resources/models/earshot-rnnt/`.\n")
    ms = extra["max_symbols_per_frame"]
    oth = [k for k in extra if k.startswith("wer_test_int8_max_symbols_")][0]
    a(f"All numbers are measured, streaming greedy decoding (at most {ms} symbol(s) per 40 ms encoder frame, "
      "decoder context starting [-1, 0]) of the exported ONNX graphs in onnxruntime-node "
      "(`training/ort_decode.mjs`). `wer_test_fp32` uses the fp32 graphs (weights already sparse and on the int8 grid, "
      "fp32 arithmetic); every other number uses the shipped int8 graphs (com.microsoft DynamicQuantizeLSTM / "
      "DynamicQuantizeMatMul: int8 weights, dynamically quantized uint8 activations). No dense fp32 baseline was trained. "
      "The biasing keys come from the app's own decoder when it was run (see Context biasing).\n")
    a("## report.json\n")
    a("| key | value |\n|---|---|")
    for k in KEYS:
        a(f"| `{k}` | {rep.get(k)} |")
    a("")
    a(f"sherpa-onnx's greedy search emits at most 1 symbol per frame. Test WER int8 with the other setting "
      f"(`{oth}`): {extra[oth]:.2f}.\n")
    a("## Test set\n")
    a(f"{extra['n_test']} synthetic utterances with held-out voices (espeak-ng variants never used in training, "
      f"flite `rms`) and held-out names; {extra['n_name_utts']} contain a name, {extra['n_nonname_utts']} do not.\n")
    a("WER by voice (int8): " + ", ".join(f"{k} {v}" for k, v in extra["wer_by_voice"].items()) + "\n")
    a(f"fp32 and int8 hypotheses identical on {100 * extra['fp32_int8_hyp_agreement']:.1f} % of test utterances.\n")
    a("## Context biasing\n")
    a("Rare-name WER = errors on the words of held-out names (a name word is correct only when the alignment maps it "
      "to the identical word; insertions not counted), in percent of name words. Lists are the utterance's true "
      "names plus random distractors from the whole name pool (held-out and training names), 10 or 100 entries. "
      "Non-name WER = WER of the utterances without a name, with a 100-entry list of distractors.\n")
    app = extra.get("biasing_app")
    if app:
        st = extra["biasing_app_settings"]
        a("The report.json keys are measured with the app's own pipeline (`earshot decode`: fbank in TypeScript, "
          f"modified beam search with beam 4, at most {st['max_symbols_per_frame']} symbol(s) per frame), with both "
          "biasing mechanisms on: the attention module in the encoder output and shallow fusion over a context graph. "
          f"Fusion `{st['fusion']}`: list entries match whole words only (a name never inside a longer word) and a "
          "token's bonus counts when the beam picks its paths; the last row is sherpa-onnx's hotword style instead "
          "(matches anywhere, bonus added after the pick). The other rows switch one mechanism off.\n")
        tu = st["dev_tuning"]
        split = tu.get("split", "dev_cmd")
        about = (f"{split} ({tu['n_name_utts']} utterances with a name, {tu['n_nonname_utts']} without; names in "
                 "neither the train nor the test pools)" if split == "dev_names" else f"{split} (training names)")
        a(f"Shallow-fusion boost {st['fusion_boost']} per token, chosen on {about}: the lowest rare-name WER with 100-entry "
          f"lists among the boosts that cost the utterances without a name at most {NONNAME_BUDGET} points of WER with "
          f"100 distractors" + ("" if tu["within_budget"] else " (none did: the one that cost them least)") +
          f". Dev without a list: rare-name {tu['nolist']['rare_name']}, non-name {tu['nolist']['nonname']}; with lists, "
          "by boost (rare-name / non-name): " + ", ".join(f"{b}: {v['rare_name']} / {v['nonname']}" for b, v in tu["by_boost"].items()) + ".\n")
        a("| app, beam 4 | rare-name, no list | 10 | 100 | non-name, no list | non-name, 100 |\n|---|---|---|---|---|---|")
        for mode, m in app.items():
            a(f"| {mode} | {m['rare_name_wer_nolist']:.2f} | {m['rare_name_wer_list10']:.2f} | "
              f"{m['rare_name_wer_list100']:.2f} | {m['nonname_wer_nolist']:.2f} | {m['nonname_wer_list100']:.2f} |")
        a("")
    g = extra["biasing_greedy_attention_only"]
    a(f"Greedy search (ONNX graphs in `ort_decode.mjs`, at most {ms} symbol(s) per frame), attention module only:\n")
    a("| greedy | rare-name, no list | 10 | 100 | non-name, no list | non-name, 100 |\n|---|---|---|---|---|---|")
    a(f"| attention | {g['rare_name_wer_nolist']:.2f} | {g['rare_name_wer_list10']:.2f} | {g['rare_name_wer_list100']:.2f} | "
      f"{g['nonname_wer_nolist']:.2f} | {g['nonname_wer_list100']:.2f} |\n")
    lights = [(n, rep.get(f"attention_lights_name_list{n}")) for n in (10, 100)]
    if all(v is not None for _, v in lights):
        a("Does the attention map light the right entry? Share of the names whose own entry draws the highest attention "
          "peak over the utterance among all the list's entries: " +
          ", ".join(f"{v:.1%} with {n} entries (chance {1 / n:.0%})" for n, v in lights) + ".\n")
    nu = extra["name_utts_wer"]
    a(f"Whole-utterance WER on name utterances (greedy, attention): no list {nu['nolist']:.2f}, 10-entry {nu['list10']:.2f}, "
      f"100-entry {nu['list100']:.2f}.\n")
    a("Examples (no list → 100-entry list):\n")
    for e in extra["name_examples"]:
        a(f"- ref `{e['ref']}` · no list `{e['nolist']}` · list100 `{e['list100']}`")
    a("")
    write_eoq_md(a, extra["eoq"])
    a("## Real speech\n")
    rs = extra.get("real_speech")
    if rs:
        a(f"{rs['n']} real recordings from `../shared/data/real-speech/manifest.jsonl` (mostly read literature): "
          f"WER int8 {rs['int8']['wer']:.1f} %, fp32 {rs['fp32']['wer']:.1f} %. As expected, a model trained only on "
          "synthetic command-style speech does poorly here.\n")
        for e in rs["int8"]["examples"]:
            a(f"- ref `{e['ref']}`\n  hyp `{e['hyp']}`")
        a("")
    a("## Model and compression\n")
    a(f"Encoder {meta['encoder']['layers']} × {meta['encoder']['hidden']} LSTM, joiner dim {meta['encoder']['joiner_dim']}; "
      f"overall sparsity of the compressed matrices {meta['sparsity_overall']:.3f} "
      f"(min per matrix {min(meta['sparsity'].values()):.3f}). Sizes (bytes): " +
      ", ".join(f"{k} {v}" for k, v in meta["sizes"].items()) +
      ". `int8_sparse_compressed_total` = sum of `xz -9e` (lzma) sizes of the int8 variant's files.\n")
    a(f"Training: {json.dumps({k: tr[k] for k in ['steps_done', 'epochs', 'train_wall_minutes', 'lr', 'sparsity', 'qat_start', 'grid_weight', 'ctc_weight', 'eoq_weight'] if k in tr})}\n")
    hist = extra.get("train_state", {}).get("dev_history", [])
    if hist:
        a("Dev WER during training (torch, fake-quant, no list): " +
          ", ".join(f"step {h['step']}: {dev_wer_text(h['dev_wer'])} (sp {h['sparsity']:.2f})" for h in hist) + "\n")
    a("## Examples (int8)\n")
    for e in extra["examples"]:
        a(f"- ref `{e['ref']}` · hyp `{e['int8']}`")
    a("")
    notes = os.path.join(HERE, "report_notes.md")
    if os.path.exists(notes):
        with open(notes) as fh:
            a(fh.read())
    with open(path, "w") as fh:
        fh.write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
