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
        "rare_name_wer_list100", "nonname_wer_nolist", "nonname_wer_list100", "eoq_frame_accuracy",
        "eoq_latency_p50_ms", "eoq_cutoff_rate", "wer_real_speech", "train_wall_minutes"]


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


def eoq_metrics(rows, res, thr=0.5):
    correct = total = 0
    lat, cut, miss = [], 0, 0
    for r, d in zip(rows, res):
        p = np.asarray(d["eoq"])
        t_end = (np.arange(len(p)) + 1) * 0.04
        lab = t_end >= r["speech_end"] + 0.04
        correct += int(((p > thr) == lab).sum())
        total += len(p)
        fired = np.nonzero(p > thr)[0]
        if len(fired) and t_end[fired[0]] < r["speech_end"]:
            cut += 1
        after = [i for i in fired if t_end[i] >= r["speech_end"]]
        if after:
            lat.append((t_end[after[0]] - r["speech_end"]) * 1000)
        else:
            miss += 1
            lat.append((t_end[-1] - r["speech_end"]) * 1000 if len(t_end) else 0.0)
    return {"eoq_frame_accuracy": correct / max(1, total), "eoq_latency_p50_ms": float(np.median(lat)),
            "eoq_cutoff_rate": cut / max(1, len(rows)), "eoq_never_fired_after_end_rate": miss / max(1, len(rows)),
            "eoq_latency_p90_ms": float(np.percentile(lat, 90))}


def load_split(corpus, split, n=None):
    from train import Corpus
    c = Corpus(corpus, split)
    rows, feats = c.rows[:n], [f.astype(np.float32) for f in c.feats[:n]]
    return rows, feats


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


APP_BIAS_MODES = {"attention+fusion": [], "attention": ["--no-shallow-fusion"], "fusion": ["--no-attention-bias"]}


def app_decode(model_dir, rows, lists, flags, jobs, corpus):
    """Decodes rows (audio relative to the corpus folder) with `earshot decode`; hyps in row order."""
    return app_decode_rows(model_dir, [{"audio": r["audio"], "text": r["text"], "context": e} for r, e in zip(rows, lists)],
                           flags, jobs, corpus)


def app_decode_rows(model_dir, rows, flags, jobs, corpus):
    """Decodes rows with the app's own pipeline (`earshot decode`: streaming fbank in TypeScript, modified beam
    search, beam 4), each row with its own biasing list (the manifest's `context`). Returns hyps in row order."""
    cli = os.path.join(ROOT, "bin", "earshot.js")
    if not os.path.exists(os.path.join(ROOT, "out", "main", "cli.js")):
        raise RuntimeError("the app's CLI is not built: run `npm run build` first")
    tmp = tempfile.mkdtemp()
    out = os.path.join(tmp, "out.jsonl")
    # the manifest lives in the corpus folder: the CLI only reads audio under the folder it was given
    fd, man = tempfile.mkstemp(prefix=".report-", suffix=".jsonl", dir=corpus)
    with os.fdopen(fd, "w") as fh:
        for i, r in enumerate(rows):
            fh.write(json.dumps({"id": f"u{i}", **r}) + "\n")
    p = subprocess.run(["node", cli, "decode", man, "--out", out, "--model", os.path.abspath(model_dir),
                        "--workers", str(jobs), *flags], cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        os.remove(man)
        raise RuntimeError(f"earshot decode failed: {p.stderr[-2000:]}")
    os.remove(man)
    hyps = {}
    with open(out) as fh:
        for l in fh:
            d = json.loads(l)
            if d.get("error"):
                raise RuntimeError(f"earshot decode: {d['audio']}: {d['error']}")
            hyps[d["id"]] = d["hyp"]
    shutil.rmtree(tmp, ignore_errors=True)
    return [hyps[f"u{i}"] for i in range(len(rows))]


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


BOOST_GRID = [0.25, 0.5, 0.75, 1.0, 1.5]


def tune_fusion_boost(model_dir, corpus, pool, seed, jobs, base_flags, log):
    """The shallow-fusion boost with the lowest dev WER when every dev utterance carries a 100-entry list
    (its names plus distractors, or distractors only): a name must gain without the others losing."""
    rows, _ = load_split(corpus, "dev_cmd")
    lists = make_lists(rows, pool, 100, seed + 2)[1]
    scores = {}
    for boost in BOOST_GRID:
        hyps = app_decode(model_dir, rows, lists, base_flags + ["--boost", str(boost)], jobs, corpus)
        scores[boost] = wer([(r["text"], h) for r, h in zip(rows, hyps)])
        log(f"dev WER with 100-entry lists, boost {boost}: {scores[boost]:.2f}")
    best = min(BOOST_GRID, key=lambda b: scores[b])
    return best, {str(b): round(v, 2) for b, v in scores.items()}


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


def split_wers(model_dir, corpus, real_manifest, jobs, log, n=None):
    """WER of every test split through `earshot decode` with its defaults (the model's own decode settings),
    with a breakdown by voice (synthetic) and by corpus (real). Returns (keys, details)."""
    keys, details = {}, {}
    for key, split in SPLIT_KEYS.items():
        if split == "real_dev":
            if not os.path.exists(real_manifest):
                keys[key] = None
                continue
            rows = real_dev_rows(real_manifest, corpus)
        else:
            rows, _ = load_split(corpus, split, n)
        hyps = app_decode_rows(model_dir, [{"audio": r["audio"], "text": r["text"]} for r in rows], [], jobs, corpus)
        keys[key] = round(wer([(r["text"], h) for r, h in zip(rows, hyps)]), 2)
        groups = {}
        for r, h in zip(rows, hyps):
            v = r["voice"].split(":")
            g = f"{v[0]}:{v[1]}" if v[0] == "real" else v[0] + (":" + r["voice"].split("+")[-1] if "+" in r["voice"] else ":" + v[1] if v[0] != "espeak" else "")
            groups.setdefault(g, []).append((r["text"], h))
        details[split] = {"n": len(rows), "wer": keys[key], "by_voice_or_corpus": {g: round(wer(p), 2) for g, p in sorted(groups.items())},
                          "examples": [{"ref": r["text"], "hyp": h} for r, h in list(zip(rows, hyps))[:5]]}
        log(f"{split}: WER {keys[key]} on {len(rows)} utterances")
    return keys, details


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
    ap.add_argument("--into-report", action="store_true", help="with --splits-only: also merge the split WERs into "
                    "--out-json and rewrite the test-split section of --out-md (for the model that ships)")
    ap.add_argument("--out-md", default=os.path.join(HERE, "REPORT.md"))
    ap.add_argument("--out-json", default=os.path.join(HERE, "report.json"))
    args = ap.parse_args()
    t0 = time.time()
    MAX_SYMBOLS[0] = args.max_symbols
    def log(s):
        print(f"[{time.time() - t0:6.1f}s] {s}", flush=True)

    if args.splits_only:
        keys, details = split_wers(args.model, args.corpus, args.real, args.jobs, log, args.n_test)
        with open(args.splits_only, "w") as fh:
            json.dump({"model": os.path.relpath(args.model, ROOT), **keys, "details": details}, fh, indent=1)
        if args.into_report:
            merge_split_keys(args.out_json, args.out_md, keys, details)
        print(json.dumps(keys, indent=1))
        return
    with open(os.path.join(args.model, "model.json")) as fh:
        meta = json.load(fh)
    rows, feats = load_split(args.corpus, "test_cmd", args.n_test)
    with open(os.path.join(args.corpus, "names.json")) as fh:
        names = json.load(fh)
    test_pool = sorted({n for k, v in names.items() if k != "surname" for n in v["test"]})
    train_pool = sorted({n for k, v in names.items() if k != "surname" for n in v["train"]})
    pool = sorted(set(test_pool) | set(train_pool))
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
    l10, _ = make_lists(nrows, pool, 10, args.seed)
    l100, e100 = make_lists(nrows, pool, 100, args.seed)
    b10 = ort_decode(args.model, "int8", nfeats, l10, jobs=args.jobs)
    log("list10 decoded")
    b100 = ort_decode(args.model, "int8", nfeats, l100, jobs=args.jobs)
    log("list100 decoded")
    rep["rare_name_wer_list10"] = name_wer(nrows, [d["text"] for d in b10])
    rep["rare_name_wer_list100"] = name_wer(nrows, [d["text"] for d in b100])
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
        base_flags = ["--beam", "4", "--max-symbols", str(args.max_symbols)]
        boost, boost_scores = tune_fusion_boost(args.model, args.corpus, pool, args.seed, args.jobs, base_flags, log)
        base_flags += ["--boost", str(boost)]
        app = app_biasing(args.model, rows, name_idx, non_idx, pool, args.seed, args.jobs, args.corpus, log, base_flags)
        extra["biasing_app"] = app
        extra["biasing_app_settings"] = {"beam": 4, "max_symbols_per_frame": args.max_symbols, "fusion_boost": boost,
                                         "dev_wer_by_boost": boost_scores}
        rep.update(app["attention+fusion"])
    # the runtime decodes with these unless told otherwise (src/engine/asr/model-dir.ts, ModelDecoding); the
    # split WERs below are `earshot decode` with these defaults
    meta["decode"] = {"max_symbols_per_frame": args.max_symbols,
                      "note": "metrics measured with this many symbols per frame; sherpa-onnx's greedy search emits at "
                              f"most 1 (int8 test WER then {extra.get('wer_test_int8_max_symbols_1', rep['wer_test_int8_sparse'])})"}
    if "biasing_app_settings" in extra:
        meta["decode"]["fusion_boost"] = extra["biasing_app_settings"]["fusion_boost"]
    write_model_json(args.model, meta)
    split_keys, extra["splits"] = split_wers(args.model, args.corpus, args.real, args.jobs, log)
    rep.update(split_keys)
    em = eoq_metrics(rows, r8)
    rep.update({k: em[k] for k in ["eoq_frame_accuracy", "eoq_latency_p50_ms", "eoq_cutoff_rate"]})
    extra["eoq"] = em
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
    merge_split_keys(args.out_json, args.out_md, split_keys, extra["splits"])
    # embed metrics into model.json (sha256 covers graphs and tokens only)
    meta["metrics"] = rep
    write_model_json(args.model, meta)
    log("report written")
    print(json.dumps(rep, indent=1))


SPLITS_BEGIN, SPLITS_END = "<!-- test splits: begin -->", "<!-- test splits: end -->"


def splits_md(keys, details):
    L = [SPLITS_BEGIN, "## Test splits of the campaign's corpus\n",
         "`earshot decode` with the model's own defaults (`model.json` → `decode`: modified beam search, beam 4) on the "
         "splits `training/corpus.py` makes: `test_cmd` = the command grammar with held-out names and held-out voices "
         "(12 espeak-ng variants, flite rms, festival ked_diphone, pico en-GB, RHVoice clb); `test_open` = held-out "
         "sentences of `sentences.txt` in the held-out voices; `test_real` = the real-train test split (AN4, Speech "
         "Commands and FSDD speakers never trained on); `real_dev` = `../shared/data/real-speech/manifest.jsonl`.\n",
         "| key | WER % | utterances |", "|---|---|---|"]
    for key, split in SPLIT_KEYS.items():
        d = details.get(split, {})
        L.append(f"| `{key}` | {keys.get(key)} | {d.get('n', '-')} |")
    L.append("")
    for split, d in details.items():
        L.append(f"**{split}** by voice or corpus: " + ", ".join(f"{g} {w}" for g, w in d["by_voice_or_corpus"].items()) + "\n")
        for e in d["examples"][:3]:
            L.append(f"- ref `{e['ref']}` · hyp `{e['hyp']}`")
        L.append("")
    L.append(SPLITS_END)
    return "\n".join(L)


def merge_split_keys(out_json, out_md, keys, details):
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
        with open(det_path, "w") as fh:
            json.dump(det, fh, indent=1)
    with open(out_md) as fh:
        md = fh.read()
    section = splits_md(keys, details)
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
          "The rows below switch each off.\n")
        a(f"Shallow-fusion boost {st['fusion_boost']} per token, chosen on the dev split (every dev utterance with a "
          "100-entry list; dev WER by boost: " + ", ".join(f"{b}: {w}" for b, w in st["dev_wer_by_boost"].items()) + ").\n")
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
    nu = extra["name_utts_wer"]
    a(f"Whole-utterance WER on name utterances (greedy, attention): no list {nu['nolist']:.2f}, 10-entry {nu['list10']:.2f}, "
      f"100-entry {nu['list100']:.2f}.\n")
    a("Examples (no list → 100-entry list):\n")
    for e in extra["name_examples"]:
        a(f"- ref `{e['ref']}` · no list `{e['nolist']}` · list100 `{e['list100']}`")
    a("")
    a("## End-of-query head\n")
    eq = extra["eoq"]
    a("Per-frame label: 1 once the 40 ms frame ends at least 40 ms after the labelled `speech_end`. Threshold 0.5. "
      "Latency = end of the first frame at/after `speech_end` whose P(finished) > 0.5, minus `speech_end` "
      "(utterances where it never fires count with the end of the audio). Cut-off = fraction of utterances where it "
      "fires before `speech_end` (including inside mid-utterance pauses).\n")
    a(f"frame accuracy {eq['eoq_frame_accuracy']:.4f}, latency p50 {eq['eoq_latency_p50_ms']:.0f} ms, "
      f"p90 {eq['eoq_latency_p90_ms']:.0f} ms, cut-off rate {eq['eoq_cutoff_rate']:.4f}, "
      f"never fired after the end {eq['eoq_never_fired_after_end_rate']:.4f}.\n")
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
