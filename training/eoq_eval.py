"""The end-of-query head measured the way the app decides with it (report.py's eoq section).

The app's final end-pointer (src/engine/endpoint: endpoint-config.ts `configFromKnobs`, decide-endpoint.ts)
fires its end-of-query rule on a frame once something was decoded, the 1-best has emitted nothing for at
least `eoqMinTrailingSilenceS`, and P(end of query) >= `eoqThreshold` on `eoqFrames` frames in a row. Its
knobs come from src/engine/endpoint/default-knobs.json, the file the app reads them from, with the model's own
threshold from its model.json where it has one (calibrate_eoq.py writes it). A decision is
known at the end of the encoder chunk that holds its frame (`partials`), and it cuts the utterance off when
that time is before the labelled end of speech (metrics.ts `decisionOutcome`, no tolerance).

The inputs are `earshot decode` lines: the per-frame trace (eoqProb, emitted), the partials and the app's
own `endpoints` decision. `check_against_app` re-derives the default final decision (end-of-query, trailing
silence and maximum length rules) from the trace and compares it with what the app wrote, so this module
and the engine cannot drift apart unnoticed.
"""
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
KNOBS_FILE = os.path.join(os.path.dirname(HERE), "src", "engine", "endpoint", "default-knobs.json")
NO_FIRE_TIMEOUT_S = 20  # metrics.ts defaultMetricDefinitions: a no-fire costs the 20 s timeout
THRESHOLD_GRID = [round(0.5 + 0.02 * i, 2) for i in range(25)]  # 0.50 .. 0.98
CUTOFF_TARGET = 0.05


def default_knobs(path=KNOBS_FILE, model_dir=None):
    """The app's default final end-pointer knobs; with model_dir, those a decode with that model gets: the
    end-of-query threshold from its model.json `eoq.default_threshold` where it names one (endpoint-config.ts
    `defaultKnobsPair`, model-dir.ts `modelEoqThreshold`)."""
    with open(path) as fh:
        knobs = json.load(fh)["final"]
    own = model_threshold(model_dir) if model_dir else None
    return knobs if own is None else {**knobs, "eoqThreshold": own}


def model_threshold(model_dir):
    """model.json's `eoq.default_threshold`, or None."""
    path = os.path.join(model_dir, "model.json")
    if not os.path.exists(path):
        return None
    with open(path) as fh:
        return (json.load(fh).get("eoq") or {}).get("default_threshold")


def frames_for(seconds, shift):
    """Seconds → whole frames as the engine compares them (endpoint-config.ts `secondsToFrames`)."""
    return max(0, math.ceil(seconds / shift - 1e-6))


def decision_times(line):
    """Per frame, when a decision on it is known: the end of the chunk holding it (endpoint-stream.ts)."""
    n = line["trace"]["numFrames"]
    shift = line["trace"].get("frameShiftS") or 0.04
    parts = line.get("partials") or []
    out = np.empty(n)
    p = 0
    for t in range(n):
        while p < len(parts) and parts[p]["numFrames"] <= t:
            p += 1
        out[t] = parts[p]["timeS"] if p < len(parts) else (t + 1) * shift
    return out


def first_fire(line, threshold, eoq_frames, eoq_min_trailing_s, min_trailing_s=None, max_utterance_s=None):
    """First frame where the end-of-query rule holds (and, when given, the trailing-silence or the
    maximum-length rule: the whole final end-pointer); None when none does. Non-speech = the 1-best
    emitted nothing on the frame (the knobs' `nonSpeech: blank`)."""
    tr = line["trace"]
    shift = tr.get("frameShiftS") or 0.04
    eoq, emitted = tr["eoqProb"], tr["emitted"]
    need_eoq = frames_for(eoq_min_trailing_s, shift)
    need_sil = None if min_trailing_s is None else frames_for(min_trailing_s, shift)
    need_len = None if max_utterance_s is None else frames_for(max_utterance_s, shift)
    run = silence = 0
    said = False
    for t in range(tr["numFrames"]):
        if emitted[t] > 0:
            said, silence = True, 0
        else:
            silence += 1
        run = run + 1 if eoq and eoq[t] >= threshold else 0
        if said and silence >= need_eoq and run >= eoq_frames:
            return t
        if need_sil is not None and said and silence >= need_sil:
            return t
        if need_len is not None and t + 1 >= need_len:
            return t
    return None


def head_fires(lines, knobs, threshold=None):
    """Per line, the decision time (s) of the end-of-query rule alone, or None."""
    thr = knobs["eoqThreshold"] if threshold is None else threshold
    out = []
    for line in lines:
        f = first_fire(line, thr, knobs["eoqFrames"], knobs["eoqMinTrailingSilenceS"])
        out.append(None if f is None else float(decision_times(line)[f]))
    return out


def check_against_app(lines, knobs):
    """The final decision re-derived here must be the app's `endpoints.final_s` on every line."""
    if knobs["nonSpeech"] != "blank":
        raise RuntimeError(f"eoq_eval.py reads non-speech as blank frames; the app's default is now "
                           f"{knobs['nonSpeech']!r}: teach first_fire that source")
    for line in lines:
        f = first_fire(line, knobs["eoqThreshold"], knobs["eoqFrames"], knobs["eoqMinTrailingSilenceS"],
                       knobs["minTrailingSilenceS"], knobs["maxUtteranceS"])
        ours = None if f is None else float(decision_times(line)[f])
        theirs = line["endpoints"]["final_s"]
        if (ours is None) != (theirs is None) or (ours is not None and abs(ours - theirs) > 1e-6):
            raise RuntimeError(f"{line['id']}: the app's final end-pointer decided at {theirs} s, eoq_eval.py at "
                               f"{ours} s: the rules in eoq_eval.py no longer match src/engine/endpoint")


def pct(values, q):
    return float(np.percentile(values, q)) if values else None


def stats(times, ends):
    """Cut-off (a decision before the end of speech), no-fire (none within the audio), latency percentiles
    (ms) over the utterances where it fired at or after the end, and the same percentiles as the app's
    end-pointer statistics take them (metrics.ts `decisionStats`: every utterance, a cut-off's latency
    negative, a no-fire at the timeout)."""
    cut = sum(1 for t, e in zip(times, ends) if t is not None and t < e)
    lat = [1000 * (t - e) for t, e in zip(times, ends) if t is not None and t >= e]
    app = [1000 * ((NO_FIRE_TIMEOUT_S if t is None else t) - e) for t, e in zip(times, ends)]
    n = max(1, len(times))
    return {"n": len(times), "cutoff_rate": cut / n, "nofire_rate": sum(t is None for t in times) / n,
            "latency_p50_ms": pct(lat, 50), "latency_p90_ms": pct(lat, 90),
            "app_latency_p50_ms": pct(app, 50), "app_latency_p90_ms": pct(app, 90)}


def old_head_figures(lines, ends, threshold=0.5):
    """The first report's figures: any single frame with P > threshold whose end is before the end of
    speech is a cut-off; frame accuracy against 'the frame ends >= 40 ms after the end of speech'."""
    correct = total = cut = 0
    for line, end in zip(lines, ends):
        p = np.asarray(line["trace"]["eoqProb"], dtype=np.float64)
        t_end = (np.arange(len(p)) + 1) * (line["trace"].get("frameShiftS") or 0.04)
        correct += int(((p > threshold) == (t_end >= end + 0.04)).sum())
        total += len(p)
        fired = np.nonzero(p > threshold)[0]
        cut += int(len(fired) > 0 and t_end[fired[0]] < end)
    return {"cutoff_rate": cut / max(1, len(lines)), "frame_accuracy": correct / max(1, total)}


def pooled(parts, pauses_only):
    """The lines and labelled ends of speech of {split: (rows, lines)}, all splits together; with pauses_only,
    of the utterances with mid-utterance pauses alone (the issue's target)."""
    rows = [r for rr, _ in parts.values() for r in rr]
    lines = [l for _, ll in parts.values() for l in ll]
    keep = [i for i, r in enumerate(rows) if r.get("pauses") or not pauses_only]
    return [lines[i] for i in keep], [rows[i]["speech_end"] for i in keep]


def dev_threshold(lines, ends, knobs, target=CUTOFF_TARGET, grid=THRESHOLD_GRID):
    """The least threshold on the grid whose end-of-query rule cuts off at most `target` of the given
    (dev) utterances: a higher threshold only ever fires later, so it is also the least latency."""
    sweep = {thr: stats(head_fires(lines, knobs, thr), ends) for thr in grid}
    ok = [thr for thr in grid if sweep[thr]["cutoff_rate"] <= target]
    return (ok[0] if ok else None), sweep
