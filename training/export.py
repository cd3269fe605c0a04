#!/usr/bin/python3
"""Export a trained checkpoint to Earshot's ONNX model folder (fp32 + int8), with parity and
sherpa-onnx-node checks.

  /usr/bin/python3 training/export.py --ckpt training/work/ckpt_last.pt --out resources/models/earshot-rnnt

Writes encoder/decoder/joiner/context_encoder/bias .onnx (fp32), *.int8.onnx (LSTM ->
com.microsoft DynamicQuantizeLSTM, MatMul/Gemm -> DynamicQuantizeMatMul, per-channel int8
weights; bias.onnx stays fp32 and is shared by both variants), tokens.txt, model.json.
"""
import argparse
import copy
import datetime
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zlib

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

import compress
from model import BLANK, TOKENS, VOCAB, RNNT, greedy, ids_to_text, start_context, text_to_ids
from eoq_eval import default_knobs

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CHUNK = 32

FEATURES = {"sample_rate": 16000, "num_mel_bins": 80, "frame_length_ms": 25, "frame_shift_ms": 10,
            "window": "povey", "preemphasis": 0.97, "remove_dc_offset": True, "dither": 0.0,
            "low_freq": 20, "high_freq": -400, "snip_edges": False, "energy_floor": 0.0, "use_energy": False}


# ----------------------------------------------------------------------------
# torch wrappers with the exact graph interfaces

class EncoderG(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m
        with torch.no_grad():
            self.register_buffer("b0", m.bias.b0().detach().clone())  # constant in the graph

    def forward(self, x, state0, state1):
        enc, h, c, eoq = self.m.encoder(x, state0, state1)
        return enc + self.b0, h, c, eoq


class DecoderG(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, y):
        return self.m.decoder(y)


class JoinerG(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, encoder_out, decoder_out):
        return self.m.joiner(encoder_out, decoder_out)


class ContextG(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, context_tokens, context_lengths):
        return self.m.context(context_tokens, context_lengths)


class BiasG(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, encoder_out, context_emb):
        return self.m.bias(encoder_out, context_emb)


def baked_copy(model):
    m = copy.deepcopy(model)
    compress.bake(m)
    m.eval()
    return m


def _export(mod, args, path, inames, onames, dyn, meta):
    with torch.no_grad():
        torch.onnx.export(mod, args, path, opset_version=13, input_names=inames, output_names=onames,
                          dynamic_axes=dyn, do_constant_folding=True)
    g = onnx.load(path)
    del g.metadata_props[:]
    for k, v in meta.items():
        p = g.metadata_props.add()
        p.key, p.value = k, str(v)
    onnx.checker.check_model(g)
    onnx.save(g, path)


def export_fp32(m, out):
    cfg = m.config
    L, H, J = cfg["layers"], cfg["hidden"], cfg["joiner_dim"]
    prev = compress.Settings.enabled
    compress.Settings.enabled = False
    try:
        x = torch.randn(1, CHUNK, 80)
        s = torch.zeros(L, 1, H)
        _export(EncoderG(m), (x, s, s), os.path.join(out, "encoder.onnx"), ["x", "state0", "state1"],
                ["encoder_out", "new_state0", "new_state1", "eoq_logit"],
                {"x": {0: "N"}, "state0": {1: "N"}, "state1": {1: "N"}, "encoder_out": {0: "N"},
                 "new_state0": {1: "N"}, "new_state1": {1: "N"}, "eoq_logit": {0: "N"}},
                {"model_type": "lstm", "decode_chunk_len": CHUNK, "T": CHUNK, "num_encoder_layers": L,
                 "d_model": H, "rnn_hidden_size": H, "model_author": "earshot", "comment": "earshot-rnnt encoder; 4th output eoq_logit"})
        _export(DecoderG(m), (torch.tensor([start_context(m.decoder.context)]),), os.path.join(out, "decoder.onnx"), ["y"],
                ["decoder_out"], {"y": {0: "N"}, "decoder_out": {0: "N"}}, {"context_size": m.decoder.context, "vocab_size": VOCAB})
        _export(JoinerG(m), (torch.randn(1, J), torch.randn(1, J)), os.path.join(out, "joiner.onnx"),
                ["encoder_out", "decoder_out"], ["logit"],
                {"encoder_out": {0: "N"}, "decoder_out": {0: "N"}, "logit": {0: "N"}}, {"joiner_dim": J})
        _export(ContextG(m), (torch.tensor([[3, 4, 5], [6, 0, 0]]), torch.tensor([3, 1])),
                os.path.join(out, "context_encoder.onnx"), ["context_tokens", "context_lengths"], ["context_emb"],
                {"context_tokens": {0: "E", 1: "S"}, "context_lengths": {0: "E"}, "context_emb": {0: "E"}},
                {"context_dim": cfg["ctx_dim"], "pad_id": 0})
        _export(BiasG(m), (torch.randn(1, 8, J), torch.randn(2, cfg["ctx_dim"])), os.path.join(out, "bias.onnx"),
                ["encoder_out", "context_emb"], ["encoder_out_biased", "attention"],
                {"encoder_out": {0: "N", 1: "F"}, "context_emb": {0: "E"}, "encoder_out_biased": {0: "N", 1: "F"},
                 "attention": {0: "N", 1: "F", 2: "E1"}},
                {"context_dim": cfg["ctx_dim"], "heads": cfg["heads"], "joiner_dim": J})
    finally:
        compress.Settings.enabled = prev


# ----------------------------------------------------------------------------
# int8 rewrite

def _q_per_row(w):
    """w (rows, cols) -> int8 codes, scales (rows,). Symmetric, zero point 0."""
    s = np.abs(w).max(axis=1) / 127.0
    s[s == 0] = 1.0
    q = np.clip(np.round(w / s[:, None]), -127, 127).astype(np.int8)
    return q, s.astype(np.float32)


def quantize_graph(src, dst):
    """LSTM -> DynamicQuantizeLSTM, MatMul/Gemm with constant weights -> DynamicQuantizeMatMul."""
    g = onnx.load(src)
    inits = {i.name: i for i in g.graph.initializer}
    new_nodes, drop = [], set()
    n_q = {"lstm": 0, "matmul": 0}
    for node in g.graph.node:
        if node.op_type == "LSTM" and node.input[1] in inits and node.input[2] in inits:
            W = numpy_helper.to_array(inits[node.input[1]])  # (D, 4H, I)
            R = numpy_helper.to_array(inits[node.input[2]])  # (D, 4H, H)
            assert W.shape[0] == 1
            qw, sw = _q_per_row(W[0])
            qr, sr = _q_per_row(R[0])
            base = node.name or node.output[0]
            extra = [
                numpy_helper.from_array(qw.T[None].copy(), base + "_W_q"),
                numpy_helper.from_array(qr.T[None].copy(), base + "_R_q"),
                numpy_helper.from_array(sw[None], base + "_W_scale"),
                numpy_helper.from_array(np.zeros((1, len(sw)), np.int8), base + "_W_zp"),
                numpy_helper.from_array(sr[None], base + "_R_scale"),
                numpy_helper.from_array(np.zeros((1, len(sr)), np.int8), base + "_R_zp"),
            ]
            g.graph.initializer.extend(extra)
            ins = list(node.input) + [""] * (8 - len(node.input))
            inputs = [ins[0], extra[0].name, extra[1].name] + ins[3:8] + [e.name for e in extra[2:]]
            nn_ = helper.make_node("DynamicQuantizeLSTM", inputs, list(node.output), name=base + "_quant",
                                   domain="com.microsoft")
            nn_.attribute.extend(node.attribute)
            new_nodes.append(nn_)
            drop.update([node.input[1], node.input[2]])
            n_q["lstm"] += 1
        elif node.op_type == "MatMul" and node.input[1] in inits and len(inits[node.input[1]].dims) == 2:
            B = numpy_helper.to_array(inits[node.input[1]])  # (K, N)
            qb, sb = _q_per_row(B.T.copy())
            base = node.name or node.output[0]
            extra = [numpy_helper.from_array(qb.T.copy(), base + "_B_q"), numpy_helper.from_array(sb, base + "_B_scale"),
                     numpy_helper.from_array(np.zeros(len(sb), np.int8), base + "_B_zp")]
            g.graph.initializer.extend(extra)
            new_nodes.append(helper.make_node("DynamicQuantizeMatMul", [node.input[0]] + [e.name for e in extra],
                                              list(node.output), name=base + "_quant", domain="com.microsoft"))
            drop.add(node.input[1])
            n_q["matmul"] += 1
        elif node.op_type == "Gemm" and node.input[1] in inits:
            at = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            if at.get("transA", 0) or at.get("alpha", 1.0) != 1.0 or at.get("beta", 1.0) != 1.0:
                new_nodes.append(node)
                continue
            B = numpy_helper.to_array(inits[node.input[1]])
            if not at.get("transB", 0):
                B = B.T  # -> (N, K)
            qb, sb = _q_per_row(B.copy())  # rows = output columns
            base = node.name or node.output[0]
            extra = [numpy_helper.from_array(qb.T.copy(), base + "_B_q"), numpy_helper.from_array(sb, base + "_B_scale"),
                     numpy_helper.from_array(np.zeros(len(sb), np.int8), base + "_B_zp")]
            g.graph.initializer.extend(extra)
            ins = [node.input[0]] + [e.name for e in extra]
            if len(node.input) > 2 and node.input[2]:
                ins.append(node.input[2])
            new_nodes.append(helper.make_node("DynamicQuantizeMatMul", ins, list(node.output), name=base + "_quant",
                                              domain="com.microsoft"))
            drop.add(node.input[1])
            n_q["matmul"] += 1
        else:
            new_nodes.append(node)
    used = {i for n in new_nodes for i in n.input}
    keep = [i for i in g.graph.initializer if i.name not in drop or i.name in used]
    del g.graph.initializer[:]
    g.graph.initializer.extend(keep)
    del g.graph.node[:]
    g.graph.node.extend(new_nodes)
    if not any(o.domain == "com.microsoft" for o in g.opset_import):
        g.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(g, dst)
    return n_q


# ----------------------------------------------------------------------------
# checks via node

def run_node(script, *args, timeout=300):
    p = subprocess.run(["node", os.path.join(HERE, script), *map(str, args)], capture_output=True, text=True,
                       timeout=timeout, cwd=ROOT)
    if p.returncode != 0:
        raise RuntimeError(f"{script} failed ({p.returncode}): {p.stderr[-2000:]}")
    return json.loads(p.stdout)


def ort_runs(runs):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump({"runs": runs}, fh)
        path = fh.name
    try:
        return run_node("ort_run.mjs", path)
    finally:
        os.unlink(path)


def _t(a, typ="float32"):
    a = np.asarray(a)
    return {"type": typ, "dims": list(a.shape), "data": a.reshape(-1).tolist()}


@torch.no_grad()
def parity(m, out, variant_files, feats):
    """torch vs onnxruntime-node on the same inputs; returns max abs diffs per graph."""
    L, H, J = m.config["layers"], m.config["hidden"], m.config["joiner_dim"]
    x = torch.from_numpy(feats[:2 * CHUNK].astype(np.float32)).reshape(2, CHUNK, 80)[:1]
    x2 = torch.from_numpy(feats[CHUNK:2 * CHUNK].astype(np.float32))[None]
    s0 = torch.zeros(L, 1, H)
    eg = EncoderG(m)
    compress.Settings.enabled = False
    try:
        e1, h1, c1, q1 = eg(x, s0, s0)
        e2, h2, c2, q2 = eg(x2, h1, c1)  # second chunk with carried state
        y = torch.tensor([start_context(m.decoder.context), [-1] * (m.decoder.context - 2) + [5, 7]])
        d = m.decoder(y)
        j = m.joiner(e2[0, :2], d)
        ctok = torch.tensor([[3, 4, 5, 6], [7, 8, 0, 0], [9, 0, 0, 0]])
        clen = torch.tensor([4, 2, 1])
        ce = m.context(ctok, clen)
        be, ba = m.bias(e2, ce)
    finally:
        compress.Settings.enabled = True
    res = {}
    for variant, files in variant_files.items():
        runs = [
            {"model": os.path.join(out, files["encoder"]), "inputs": {"x": _t(x), "state0": _t(s0), "state1": _t(s0)}},
            {"model": os.path.join(out, files["encoder"]), "inputs": {"x": _t(x2), "state0": _t(h1), "state1": _t(c1)}},
            {"model": os.path.join(out, files["decoder"]), "inputs": {"y": _t(y, "int64")}},
            {"model": os.path.join(out, files["joiner"]), "inputs": {"encoder_out": _t(e2[0, :2]), "decoder_out": _t(d)}},
            {"model": os.path.join(out, files["context_encoder"]), "inputs": {"context_tokens": _t(ctok, "int64"),
                                                                              "context_lengths": _t(clen, "int64")}},
            {"model": os.path.join(out, files["bias"]), "inputs": {"encoder_out": _t(e2), "context_emb": _t(ce)}},
        ]
        r = ort_runs(runs)
        for k in r:
            if "error" in k:
                raise RuntimeError(f"onnxruntime-node ({variant}): {k['error']}")
        if r[0]["outputNames"] != ["encoder_out", "new_state0", "new_state1", "eoq_logit"]:
            raise RuntimeError(f"encoder output order {r[0]['outputNames']}")

        def diff(a, o):
            return float(np.abs(np.asarray(o["data"]).reshape(o["dims"]) - a.numpy()).max())

        def rel(a, o):
            return diff(a, o) / float(a.abs().max() + 1e-9)

        res[variant] = {
            "encoder_out": diff(e1, r[0]["outputs"]["encoder_out"]),
            "encoder_out_chunk2": diff(e2, r[1]["outputs"]["encoder_out"]),
            "encoder_out_rel": rel(e2, r[1]["outputs"]["encoder_out"]),
            "new_state0": diff(h2, r[1]["outputs"]["new_state0"]),
            "new_state1": diff(c2, r[1]["outputs"]["new_state1"]),
            "eoq_logit": diff(q2, r[1]["outputs"]["eoq_logit"]),
            "decoder_out": diff(d, r[2]["outputs"]["decoder_out"]),
            "logit": diff(j, r[3]["outputs"]["logit"]),
            "logit_rel": rel(j, r[3]["outputs"]["logit"]),
            "context_emb": diff(ce, r[4]["outputs"]["context_emb"]),
            "encoder_out_biased": diff(be, r[5]["outputs"]["encoder_out_biased"]),
            "attention": diff(ba, r[5]["outputs"]["attention"]),
        }
    return res


# ----------------------------------------------------------------------------
# reference decodes (torch) for fixtures and the sherpa check

def fbank_of(x):
    from corpus import fbank
    return fbank(x)


def chunked_frames(feats):
    """Frames the streaming runtime decodes: whole chunks of 32; a final partial chunk is padded to 32
    by repeating the last fbank frame (valid encoder frames = ceil(n/4))."""
    n = len(feats)
    padn = (-n) % CHUNK
    f = np.concatenate([feats, np.repeat(feats[-1:], padn, 0)]) if padn else feats
    return f, (n + 3) // 4


@torch.no_grad()
def torch_decode(m, feats, max_symbols=1, valid=None, ctx_entries=None):
    compress.Settings.enabled = False
    try:
        x = torch.from_numpy(np.ascontiguousarray(feats, dtype=np.float32))[None]
        enc, eoq = m.encode(x)
        if ctx_entries:
            enc, _ = m.apply_bias(enc, m.encode_context([text_to_ids(e) for e in ctx_entries]))
        f = enc.shape[1] if valid is None else valid
        (ids, frames), = greedy(m, enc[:, :f], torch.tensor([f]), max_symbols)
        return ids, frames, torch.sigmoid(eoq[0, :f]).numpy()
    finally:
        compress.Settings.enabled = True


def sherpa_check(m, out, variant, wavs):
    """Decode wavs in sherpa-onnx-node; compare with the torch decode of the same padded audio."""
    import soundfile as sf
    res = run_node("sherpa_check.mjs", out, variant, *wavs)
    tok2id = {t: i for i, t in enumerate(TOKENS)}
    rows = []
    for r, w in zip(res, wavs):
        x, sr = sf.read(w, dtype="float32")
        xp = np.concatenate([x, np.zeros(int(round(0.66 * sr)), np.float32)])
        f = fbank_of(xp)
        f = f[: (len(f) // CHUNK) * CHUNK]
        ids, frames, _ = torch_decode(m, f, 1) if len(f) else ([], [], None)
        s_ids = [1 if t in (" ", "▁") else tok2id.get(t, -1) for t in r["tokens"]]
        rows.append({"wav": os.path.basename(w), "sherpa_text": r["text"], "sherpa_tokens": r["tokens"],
                     "sherpa_ids": s_ids, "torch_ids": ids, "torch_text": ids_to_text(ids),
                     "match": s_ids == ids})
    return rows


# ----------------------------------------------------------------------------
# model.json

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for b in iter(lambda: fh.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def compressed_size(paths):
    """int8+sparse on-disk size: xz (lzma preset 9e) of each file; the zeros of the sparse int8 weights compress."""
    import lzma
    tot = 0
    for p in paths:
        with open(p, "rb") as fh:
            tot += len(lzma.compress(fh.read(), preset=9 | lzma.PRESET_EXTREME))
    return tot


def compression_stats(m):
    stats, spars = {}, {}
    z = n = 0
    for name, p, _ in compress.compressed_params(m):
        w = p.detach().numpy().reshape(p.shape[0], -1)
        s = np.abs(w).max(axis=1, keepdims=True) / 127.0
        s[s == 0] = 1
        codes = np.clip(np.round(w / s), -127, 127).astype(np.int64)
        hist = np.bincount(codes.reshape(-1) + 128, minlength=256).tolist()
        sp = float((w == 0).mean())
        stats[name] = {"shape": list(p.shape), "sparsity": round(sp, 4), "int8_histogram": hist}
        spars[name] = round(sp, 4)
        z += int((w == 0).sum())
        n += w.size
    return stats, spars, (z / n if n else 0.0)


def write_tokens(out):
    with open(os.path.join(out, "tokens.txt"), "w") as fh:
        for i, t in enumerate(TOKENS):
            fh.write(f"{t} {i}\n")


def export_all(model, out, name="earshot-rnnt", extra=None, wav_dir=None, corpus_dir=None, metrics=None,
               checks=True, parity_feats=None, check_wavs=None):
    os.makedirs(out, exist_ok=True)
    m = baked_copy(model)
    export_fp32(m, out)
    qinfo = {}
    for g in ["encoder", "decoder", "joiner", "context_encoder"]:
        qinfo[g] = quantize_graph(os.path.join(out, f"{g}.onnx"), os.path.join(out, f"{g}.int8.onnx"))
    for stale in ["bias.int8.onnx"]:
        if os.path.exists(os.path.join(out, stale)):
            os.unlink(os.path.join(out, stale))
    write_tokens(out)
    files = {"fp32": {g: f"{g}.onnx" for g in ["encoder", "decoder", "joiner", "context_encoder", "bias"]},
             "int8": {**{g: f"{g}.int8.onnx" for g in ["encoder", "decoder", "joiner", "context_encoder"]},
                      "bias": "bias.onnx"}}
    stats, spars, overall = compression_stats(m)
    fp32_files = sorted(set(files["fp32"].values()))
    int8_files = sorted(set(files["int8"].values()))
    sizes = {f: os.path.getsize(os.path.join(out, f)) for f in sorted(set(fp32_files + int8_files))}
    sizes["fp32_total"] = sum(sizes[f] for f in fp32_files)
    sizes["int8_total"] = sum(sizes[f] for f in int8_files)
    sizes["int8_sparse_compressed_total"] = compressed_size([os.path.join(out, f) for f in int8_files])
    checks_out = {}
    wavs = []
    if wav_dir:
        wavs = write_fixture_wavs(wav_dir)
    elif check_wavs:
        wavs = list(check_wavs)
    if checks:
        pf = parity_feats
        if pf is None:
            import soundfile as sf
            src = wavs[0] if wavs else None
            if src:
                pf = fbank_of(sf.read(src, dtype="float32")[0])
            else:
                pf = np.random.default_rng(0).normal(-8, 3, (2 * CHUNK, 80)).astype(np.float32)
            if len(pf) < 2 * CHUNK:
                pf = np.concatenate([pf, np.repeat(pf[-1:], 2 * CHUNK - len(pf), 0)])
        checks_out["parity"] = parity(m, out, files, pf)
        tol = checks_out["parity"]["fp32"]
        bad = {k: v for k, v in tol.items() if not k.endswith("_rel") and v > 1e-3}
        if bad:
            raise RuntimeError(f"fp32 parity failed: {bad}")
    meta = {
        "format": "earshot-rnnt", "version": 1, "name": name,
        "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "features": FEATURES,
        "chunk": {"T": CHUNK, "decode_chunk_len": CHUNK, "subsampling": 4, "frame_shift_ms": 40},
        "context_size": m.decoder.context, "blank_id": BLANK, "vocab_size": VOCAB,
        "tokens": "tokens.txt",
        "default_variant": "int8", "variants": files,
        "encoder": {"layers": m.config["layers"], "hidden": m.config["hidden"], "joiner_dim": m.config["joiner_dim"],
                    "inputs": ["x", "state0", "state1"], "outputs": ["encoder_out", "new_state0", "new_state1", "eoq_logit"]},
        "biasing": {"context_dim": m.config["ctx_dim"], "heads": m.config["heads"], "pad_id": 0,
                    "entry_tokens": "token ids of the entry text (words joined by ▁ = 1)",
                    "attention_column0": "no-bias entry",
                    "note": "encoder_out already equals the empty-list result; run bias.onnx only with >= 1 entry"},
        # the threshold the app's final end-pointer applies (default-knobs.json, which the app reads), not one of its own
        "eoq": {"output": "eoq_logit", "default_threshold": default_knobs()["eoqThreshold"], "activation": "sigmoid"},
        "int8": {"method": "com.microsoft DynamicQuantizeLSTM/DynamicQuantizeMatMul, per-channel symmetric int8 weights, "
                           "dynamic uint8 activations; bias.onnx shared fp32", "quantized_ops": qinfo},
        "sparsity": spars, "sparsity_overall": round(overall, 4),
        "sizes": sizes,
        "compression": stats,
        "training": (extra or {}).get("training", {}),
        "data": (extra or {}).get("data", {}),
        "metrics": metrics or {},
        "checks": {},
    }
    if checks:
        mj = os.path.join(out, "model.json")
        with open(mj, "w") as fh:
            json.dump(meta, fh)  # sherpa_check reads the variants from it
        if wavs:
            for v in ["fp32", "int8"]:
                checks_out[f"sherpa_{v}"] = sherpa_check(m, out, v, wavs)
        meta["checks"] = checks_out
    if wav_dir:
        write_reference(m, wav_dir, wavs, checks_out)
    meta["sha256"] = {f: sha256(os.path.join(out, f)) for f in sorted(os.listdir(out))
                      if f.endswith(".onnx") or f == "tokens.txt"}
    with open(os.path.join(out, "model.json"), "w") as fh:
        json.dump(meta, fh, indent=None, separators=(",", ":"))
    return meta


FIXTURE_TEXTS = [("call mom", ("espeak", "en-us"), 165), ("turn on the lights", ("flite", "slt"), 0),
                 ("set a timer for five minutes", ("espeak", "en-gb-x-rp"), 190)]


def write_fixture_wavs(out):
    import soundfile as sf
    from augment import SR, trim
    from voices import synth
    paths = []
    tmp = tempfile.mkdtemp()
    for i, (text, voice, speed) in enumerate(FIXTURE_TEXTS):
        x = trim(synth(text, voice, {"speed": speed, "pitch": 50, "stretch": 0.9, "f0": 160}, tmp))
        x = np.concatenate([np.zeros(int(0.15 * SR), np.float32), x, np.zeros(int(0.25 * SR), np.float32)])[: 2 * SR]
        x = x / (np.abs(x).max() + 1e-6) * 0.5
        p = os.path.join(out, f"utt{i + 1}.wav")
        sf.write(p, x, SR, subtype="PCM_16")
        paths.append(p)
    return paths


def write_reference(m, out, wavs, checks_out):
    import soundfile as sf
    ref = {"description": "torch reference for the tiny smoke model (fp32 graphs' torch equivalent)",
           "features": FEATURES,
           "decode": f"greedy; decoder context starts {start_context(m.decoder.context)}; fbank frames of the wav (no tail padding); "
                     "a final partial chunk is padded to 32 frames by repeating the last fbank frame; "
                     "only the first ceil(num_frames/4) encoder frames are decoded; frame = encoder frame index (40 ms)",
           "utterances": []}
    for w in wavs:
        x, sr = sf.read(w, dtype="float32")
        x = np.round(x * 32768) / 32768  # as read from the 16-bit file
        f = fbank_of(x)
        fp, valid = chunked_frames(f)
        u = {"wav": os.path.basename(w), "num_samples": len(x), "num_frames": len(f),
             "fbank_first3": np.round(f[:3], 5).tolist(), "encoder_frames": valid}
        for ms in (1, 3):
            ids, frames, eoq = torch_decode(m, fp, ms, valid)
            u[f"max_symbols_per_frame_{ms}"] = {"max_symbols_per_frame": ms, "token_ids": ids, "frames": frames,
                                                 "text": ids_to_text(ids)}
        u["eoq_prob"] = np.round(eoq, 5).tolist()
        with torch.no_grad():
            compress.Settings.enabled = False
            s0 = torch.zeros(m.config["layers"], 1, m.config["hidden"])
            e, _, _, _ = EncoderG(m)(torch.from_numpy(fp[:CHUNK].astype(np.float32))[None], s0, s0)
            compress.Settings.enabled = True
        u["encoder_out_chunk0_frame0_first8"] = np.round(e[0, 0, :8].numpy(), 6).tolist()
        ref["utterances"].append(u)
    ref["sherpa_check"] = {k: v for k, v in checks_out.items() if k.startswith("sherpa")}
    with open(os.path.join(out, "reference.json"), "w") as fh:
        json.dump(ref, fh, indent=1)


def load_ckpt(path):
    from train import load_ckpt as load_training_ckpt
    ck = load_training_ckpt(path)
    model = RNNT(**ck["config"])
    model.load_state_dict(ck["model"])
    return model, ck


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", default=os.path.join(HERE, "work", "ckpt_last.pt"))
    ap.add_argument("--out", default=os.path.join(ROOT, "resources", "models", "earshot-rnnt"))
    ap.add_argument("--name", default="earshot-rnnt")
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--metrics", default=None, help="report.json to embed")
    args = ap.parse_args()
    torch.set_num_threads(1)
    model, ck = load_ckpt(args.ckpt)
    recipe = {}
    rp = os.path.join(args.corpus, "recipe.json")
    if os.path.exists(rp):
        with open(rp) as fh:
            recipe = json.load(fh)
    a = ck.get("args", {})
    st = ck.get("state", {})
    training = {**ck["config"], **{k: a[k] for k in a if k not in ("corpus", "work", "out")},
                "steps_done": st.get("step"), "epochs": st.get("epoch"),
                "train_wall_minutes": st.get("train_wall_minutes", st.get("elapsed", 0) / 60),
                "dev_history": st.get("history", [])}
    metrics = None
    if args.metrics and os.path.exists(args.metrics):
        with open(args.metrics) as fh:
            metrics = json.load(fh)
    pf = None
    tc = os.path.join(args.corpus, "test_cmd-0000.npz")
    if os.path.exists(tc):
        pf = np.load(tc)["feats"][: 2 * CHUNK].astype(np.float32)
    cw = [os.path.join(args.corpus, "audio", "test_cmd", f"test_cmd-{i:06d}.wav") for i in range(3)]
    cw = [w for w in cw if os.path.exists(w)]
    with open(os.path.join(HERE, "attribution.json")) as fh:
        recipe["attribution"] = json.load(fh)
    meta = export_all(model, args.out, args.name, {"training": training, "data": recipe}, metrics=metrics,
                      parity_feats=pf, check_wavs=cw)
    print(json.dumps({"sizes": meta["sizes"], "sparsity_overall": meta["sparsity_overall"],
                      "checks": meta["checks"]}, indent=1))


if __name__ == "__main__":
    main()
