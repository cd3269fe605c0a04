"""Calibrates a model's end-of-query threshold on dev and writes it into its model.json
(`eoq.default_threshold`), the threshold the app's final end-pointer then uses with that model
(model-dir.ts `modelEoqThreshold`, endpoint-config.ts `defaultKnobsPair`).

A head's probabilities mean different things in different models, so one app-wide threshold cuts some
models' speakers off in their pauses and makes others wait. The rule is eoq_eval.py's `dev_threshold`: the
least threshold on a 0.02 grid whose end-of-query rule cuts off at most 5 % of the dev utterances with
mid-utterance pauses (dev_cmd, dev_open), decoded through `earshot decode` with the model's other defaults.
A higher threshold only fires later, so the least one is also the least latency. When none on the grid
meets it, the app's default stays and `eoq.calibration.met` says so. The grid's cut-off, no-fire and latency
figures go beside it (`eoq.calibration`). Needs the app built (`npm run build`).

    /usr/bin/python3 training/calibrate_eoq.py --model resources/models/earshot-rnnt --corpus /work/cache/corpus
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import eoq_eval as E  # noqa: E402
import report  # noqa: E402


def calibration(dev, knobs, app_threshold):
    """(threshold, the calibration record) from dev decodes {split: (rows, lines)} made with `knobs`."""
    for _, lines in dev.values():
        E.check_against_app(lines, knobs)
    lines, ends = E.pooled(dev, True)
    thr, sweep = E.dev_threshold(lines, ends, knobs)
    record = {"rule": f"the least threshold on the grid with at most {E.CUTOFF_TARGET:.0%} cut-off on the dev utterances "
                      "with pauses (the end-of-query rule alone)",
              "splits": list(dev), "n_pauses": len(lines), "met": thr is not None,
              "sweep": {str(t): {k: (round(v, 4) if isinstance(v, float) else v)
                                 for k, v in st.items() if k in ("cutoff_rate", "nofire_rate", "latency_p50_ms")}
                        for t, st in sweep.items()}}
    return (thr if thr is not None else app_threshold), record


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="an Earshot model folder with an end-of-query head (model.json eoq)")
    ap.add_argument("--corpus", required=True, help="corpus folder with the dev splits (training/corpus.py)")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    meta_path = os.path.join(args.model, "model.json")
    if not os.path.exists(meta_path):
        sys.exit(f"calibrate_eoq.py: {args.model} has no model.json: only Earshot's own models carry an end-of-query head")
    with open(meta_path) as fh:
        meta = json.load(fh)
    if "eoq" not in meta:
        sys.exit(f"calibrate_eoq.py: {meta_path} describes no end-of-query head (no `eoq` field)")
    dev = report.decode_for_eoq(args.model, args.corpus, report.EOQ_DEV_SPLITS, args.jobs, print)
    thr, record = calibration(dev, E.default_knobs(model_dir=args.model), E.default_knobs()["eoqThreshold"])
    meta["eoq"] = {**meta["eoq"], "default_threshold": thr, "calibration": record}
    report.write_model_json(args.model, meta)
    at = record["sweep"].get(str(thr))
    print(json.dumps({"default_threshold": thr, "met": record["met"], "n_pauses": record["n_pauses"], "at_threshold": at}))


if __name__ == "__main__":
    main()
