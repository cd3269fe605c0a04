#!/usr/bin/python3
"""Reads an exported Earshot model's fp32 graphs back into a training checkpoint, so a campaign can start
from a shipped model's weights instead of from random ones (the torch checkpoint of a model is not always
kept). The ctc_head, a training-only loss head that is not exported, starts fresh; masks start all-ones
(the dense phase does not prune).

Usage: /usr/bin/python3 training/import_onnx.py --model resources/models/earshot-rnnt --out CKPT
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import RNNT  # noqa: E402


def _onnx_to_torch_gates(w, h):
    """ONNX LSTM gates are ordered i, o, f, c; torch's i, f, g(c), o."""
    i, o, f, c = (w[k * h:(k + 1) * h] for k in range(4))
    return np.concatenate([i, f, c, o])


def _graph(path):
    m = onnx.load(path)
    inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    return m.graph, inits


def _lstm_layers(graph, inits):
    out = []
    for n in graph.node:
        if n.op_type == "LSTM":
            w, r, b = (inits[n.input[k]][0] for k in (1, 2, 3))
            h = r.shape[1]
            out.append({"weight_ih": _onnx_to_torch_gates(w, h), "weight_hh": _onnx_to_torch_gates(r, h),
                        "bias_ih": _onnx_to_torch_gates(b[:4 * h], h), "bias_hh": _onnx_to_torch_gates(b[4 * h:], h)})
    return out


def _matmuls(graph, inits):
    """Constant right-hand sides of MatMul nodes, in graph order (torch Linear weights, transposed)."""
    return [inits[n.input[1]].T for n in graph.node if n.op_type == "MatMul" and n.input[1] in inits]


def load_weights(model_dir):
    with open(os.path.join(model_dir, "model.json")) as fh:
        meta = json.load(fh)
    enc = meta["encoder"]
    sd = {}
    g, ini = _graph(os.path.join(model_dir, "encoder.onnx"))
    sd["encoder.feat_mean"], sd["encoder.feat_istd"] = ini["m.encoder.feat_mean"], ini["m.encoder.feat_istd"]
    for k, layer in enumerate(_lstm_layers(g, ini)):
        for name, v in layer.items():
            sd[f"encoder.lstm.{name}_l{k}"] = v
    proj, eoq = _matmuls(g, ini)
    sd.update({"encoder.proj.weight": proj, "encoder.proj.bias": ini["m.encoder.proj.bias"],
               "encoder.eoq.weight": eoq, "encoder.eoq.bias": ini["m.encoder.eoq.bias"]})
    for part in ("decoder", "joiner"):
        _, ini = _graph(os.path.join(model_dir, f"{part}.onnx"))
        sd.update({k[2:]: v for k, v in ini.items() if k.startswith("m.")})
    g, ini = _graph(os.path.join(model_dir, "context_encoder.onnx"))
    sd["context.emb.weight"] = ini["m.context.emb.weight"]
    for name, v in _lstm_layers(g, ini)[0].items():
        sd[f"context.lstm.{name}_l0"] = v
    g, ini = _graph(os.path.join(model_dir, "bias.onnx"))
    q, o = _matmuls(g, ini)
    concat = next(n for n in g.node if n.op_type == "Concat")
    sd.update({"bias.nobias": next(ini[i] for i in concat.input if i in ini)[0], "bias.q.weight": q,
               "bias.q.bias": ini["m.bias.q.bias"], "bias.o.weight": o, "bias.o.bias": ini["m.bias.o.bias"],
               **{k[2:]: v for k, v in ini.items() if k.startswith("m.bias.") and k[2:] not in ("bias.q.bias", "bias.o.bias")}})
    config = dict(layers=enc["layers"], hidden=enc["hidden"], joiner_dim=enc["joiner_dim"],
                  dec_emb=sd["decoder.emb.weight"].shape[1], ctx_dim=sd["context.emb.weight"].shape[1],
                  heads=meta.get("biasing", {}).get("heads", 4), context=meta.get("context_size", 2))
    return config, {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    config, weights = load_weights(args.model)
    model = RNNT(**config)
    missing, unexpected = model.load_state_dict(weights, strict=False)
    fresh = [k for k in missing if "mask_" not in k]
    if unexpected or any(not k.startswith("ctc_head.") for k in fresh):
        sys.exit(f"import_onnx: the graphs do not match the model: missing {fresh}, unexpected {unexpected}")
    opt = torch.optim.Adam(model.parameters())
    state = {"step": 0, "epoch": 0, "batch_in_epoch": 0, "elapsed": 0.0, "history": [], "runs": [],
             "imported_from": os.path.relpath(args.model)}
    tmp = args.out + ".tmp"
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state, "config": config}, tmp)
    os.replace(tmp, args.out)
    print(f"{args.model} -> {args.out}: {config}, fresh: {fresh}")


if __name__ == "__main__":
    main()
