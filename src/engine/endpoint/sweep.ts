import type { EndpointKnobs, SweepOptions, SweepPoint, SweepResult } from '../../shared/domain/endpoint';
import { configFromKnobs, defaultEndpointKnobs, endpointPresets, secondsToFrames } from './endpoint-config';
import { createEndpointScanner } from './decide-endpoint';
import { decisionTimes, streamEndS } from './endpoint-stream';
import { evaluateConfig, evaluatePair, isSpeechFree, percentile, type EvaluationUtterance } from './metrics';

/** 10 × 10 = 100 pairs of (end-of-query threshold, trailing silence). */
export const defaultSweepOptions: SweepOptions = {
  grid: {
    eoqThresholds: [null, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99],
    minTrailingSilenceS: [0.2, 0.28, 0.36, 0.44, 0.52, 0.6, 0.8, 1.0, 1.2, 1.6],
    base: { ...defaultEndpointKnobs, eoqMinTrailingSilenceS: 0.12 },
  },
  finalCutoffBudget: 0.01,
  speculativeCutoffBudget: 0.05,
  speculativeLeadS: 0.2,
  cutoffToleranceS: 0,
  downstreamWorkS: 0.3,
};

/** The grid's points in order: threshold-major, then trailing silence. */
export function gridKnobs(options: SweepOptions): EndpointKnobs[] {
  const { grid } = options;
  return grid.eoqThresholds.flatMap((eoqThreshold) =>
    grid.minTrailingSilenceS.map((minTrailingSilenceS) => ({ ...grid.base, eoqThreshold, minTrailingSilenceS })),
  );
}

/**
 * One utterance reduced to what the grid needs, so that each grid point costs O(1) and each
 * threshold O(frames). The arrays follow `configFromKnobs`'s three rules exactly.
 */
export interface PreparedUtterance {
  numFrames: number;
  frameShiftS: number;
  /** Decision time per frame (end of the chunk holding it). */
  times: Float64Array;
  streamEndS: number;
  /** Reference end (s), NaN when there is none. */
  referenceEndS: number;
  speechFree: boolean;
  eoq: Float64Array;
  /** Trailing non-speech frames at each frame, −1 where nothing was decoded yet. */
  trailingWithSpeech: Int32Array;
  /** First frame with trailing non-speech ≥ n after something was decoded (−1: none), by n. */
  firstSilenceRun: Int32Array;
  /** First frame the length cap fires (−1: never). */
  maxLengthFrame: number;
  /** Words of the full hypothesis not complete at each frame. */
  wordsLostAt: Int32Array;
}

export function prepareUtterance(utterance: EvaluationUtterance, base: EndpointKnobs): PreparedUtterance {
  const { trace } = utterance.stream;
  const n = trace.numFrames;
  // The scanner itself gives the non-speech runs, so energy and blank handling cannot drift.
  const scanner = createEndpointScanner(trace, { ...configFromKnobs(base), rules: [] });
  const trailingWithSpeech = new Int32Array(n);
  let maxRun = 0;
  for (let t = 0; t < n; t++) {
    scanner.step(t);
    const run = scanner.state.containsNonsilence ? scanner.state.trailingSilenceFrames : -1;
    trailingWithSpeech[t] = run;
    if (run > maxRun) maxRun = run;
  }
  const firstSilenceRun = new Int32Array(maxRun + 2).fill(-1);
  for (let t = 0; t < n; t++) {
    const run = trailingWithSpeech[t];
    if (run >= 0 && firstSilenceRun[run] < 0) firstSilenceRun[run] = t;
  }
  // First frame with run ≥ k is the earliest first frame over runs k, k+1, …
  for (let k = maxRun - 1; k >= 0; k--) {
    const later = firstSilenceRun[k + 1];
    if (later >= 0 && (firstSilenceRun[k] < 0 || later < firstSilenceRun[k])) firstSilenceRun[k] = later;
  }
  const maxLengthFrames = secondsToFrames(base.maxUtteranceS, trace.frameShiftS);
  const reference = utterance.reference;
  return {
    numFrames: n,
    frameShiftS: trace.frameShiftS,
    times: decisionTimes(utterance.stream),
    streamEndS: streamEndS(utterance.stream),
    referenceEndS: reference.endS ?? NaN,
    speechFree: isSpeechFree(reference),
    eoq: Float64Array.from(trace.eoqProb),
    trailingWithSpeech,
    firstSilenceRun,
    maxLengthFrame: maxLengthFrames <= n ? Math.max(0, maxLengthFrames - 1) : -1,
    wordsLostAt: wordsLostByFrame(utterance),
  };
}

/** Words of the 1-best whose last token comes after each frame (0 without emissions). */
function wordsLostByFrame(utterance: EvaluationUtterance): Int32Array {
  const n = utterance.stream.trace.numFrames;
  const endingAt = new Int32Array(n + 1);
  let lastEnd = -1;
  for (const token of utterance.stream.tokens) {
    if (token.symbol.startsWith('▁') && lastEnd >= 0) endingAt[Math.min(lastEnd, n)]++;
    lastEnd = token.frame;
  }
  if (lastEnd >= 0) endingAt[Math.min(lastEnd, n)]++;
  // A word ending at frame e is lost for decisions at frames t < e: suffix sums.
  const lost = new Int32Array(n);
  let after = 0;
  for (let t = n - 1; t >= 0; t--) {
    after += endingAt[t + 1];
    lost[t] = after;
  }
  return lost;
}

/** First frame the end-of-query rule fires at this threshold, −1 when it never does. */
function firstEoqFrame(u: PreparedUtterance, threshold: number, eoqFrames: number, minTrailing: number): number {
  const { eoq, trailingWithSpeech } = u;
  const needed = Math.max(1, eoqFrames);
  let run = 0;
  for (let t = 0; t < eoq.length && t < u.numFrames; t++) {
    run = eoq[t] >= threshold ? run + 1 : 0;
    if (run >= needed && trailingWithSpeech[t] >= minTrailing) return t;
  }
  return -1;
}

function earliest(a: number, b: number): number {
  if (a < 0) return b;
  if (b < 0) return a;
  return a < b ? a : b;
}

/** Per grid point, the fire frame on one utterance (−1: never), written into `out`. */
export function fireFrames(u: PreparedUtterance, options: SweepOptions, out: Int32Array): void {
  const { grid } = options;
  const eoqMinTrailing = secondsToFrames(grid.base.eoqMinTrailingSilenceS, u.frameShiftS);
  const silenceFrames = grid.minTrailingSilenceS.map((s) => secondsToFrames(s, u.frameShiftS));
  let p = 0;
  for (const threshold of grid.eoqThresholds) {
    const eoqFrame = threshold === null ? -1 : firstEoqFrame(u, threshold, grid.base.eoqFrames, eoqMinTrailing);
    const base = earliest(eoqFrame, u.maxLengthFrame);
    for (const frames of silenceFrames) {
      const silence = frames < u.firstSilenceRun.length ? u.firstSilenceRun[frames] : -1;
      out[p++] = earliest(base, silence);
    }
  }
}

/** Sums per grid point over utterances; `finish` turns them into sweep points. */
export interface GridEvaluation {
  add(utterance: EvaluationUtterance): void;
  finish(): SweepPoint[];
}

export function createGridEvaluation(totalUtterances: number, options: SweepOptions): GridEvaluation {
  const knobs = gridKnobs(options);
  const points = knobs.length;
  const latencies = new Float64Array(points * totalUtterances);
  const cutOffs = new Int32Array(points);
  const noFires = new Int32Array(points);
  const falseFires = new Int32Array(points);
  const wordsLost = new Float64Array(points);
  const frames = new Int32Array(points);
  let withSpeech = 0;
  let speechFree = 0;

  function add(utterance: EvaluationUtterance): void {
    const u = prepareUtterance(utterance, options.grid.base);
    fireFrames(u, options, frames);
    const end = u.referenceEndS;
    if (u.speechFree) {
      speechFree++;
      for (let p = 0; p < points; p++) if (frames[p] >= 0) falseFires[p]++;
    }
    if (Number.isNaN(end)) return;
    const cutBefore = end - options.cutoffToleranceS;
    const slot = withSpeech++;
    for (let p = 0; p < points; p++) {
      const f = frames[p];
      const timeS = f >= 0 ? u.times[f] : u.streamEndS;
      latencies[p * totalUtterances + slot] = timeS - end;
      if (f < 0) noFires[p]++;
      else {
        if (timeS < cutBefore) cutOffs[p]++;
        wordsLost[p] += u.wordsLostAt[f];
      }
    }
  }

  function finish(): SweepPoint[] {
    return knobs.map((k, p) => {
      const sorted = latencies.subarray(p * totalUtterances, p * totalUtterances + withSpeech).sort();
      return {
        knobs: k,
        latencyP50S: percentile(sorted, 0.5),
        latencyP90S: percentile(sorted, 0.9),
        latencyP99S: percentile(sorted, 0.99),
        cutoffRate: withSpeech > 0 ? cutOffs[p] / withSpeech : 0,
        noFireRate: withSpeech > 0 ? noFires[p] / withSpeech : 0,
        falseFireRate: speechFree > 0 ? falseFires[p] / speechFree : 0,
        meanWordsLost: withSpeech > 0 ? wordsLost[p] / withSpeech : 0,
      };
    });
  }

  return { add, finish };
}

/** Points not dominated on (p50 latency, cut-off rate), ordered by latency. */
export function paretoFront(points: readonly SweepPoint[]): number[] {
  const order = points
    .map((point, index) => ({ point, index }))
    .filter(({ point }) => point.latencyP50S !== null)
    .sort((a, b) => a.point.latencyP50S! - b.point.latencyP50S! || a.point.cutoffRate - b.point.cutoffRate);
  const front: number[] = [];
  let bestCutoff = Infinity;
  for (const { point, index } of order) {
    if (point.cutoffRate < bestCutoff) {
      front.push(index);
      bestCutoff = point.cutoffRate;
    }
  }
  return front;
}

/**
 * The operating pair: the final end-pointer is the fastest point (p50) within the final
 * cut-off budget; the speculative one is the point within its own budget whose p50 is closest
 * to `speculativeLeadS` before the final's, never later than the final.
 */
export function recommendPair(points: readonly SweepPoint[], options: SweepOptions): { speculative: number; final: number; withinBudget: boolean } | null {
  const byLatencyThenCutoff = (a: number, b: number): number =>
    points[a].latencyP50S! - points[b].latencyP50S! || points[a].cutoffRate - points[b].cutoffRate;
  const indices = points.map((_, i) => i).filter((i) => points[i].latencyP50S !== null);
  if (indices.length === 0) return null;
  const finals = indices.filter((i) => points[i].cutoffRate <= options.finalCutoffBudget).sort(byLatencyThenCutoff);
  const withinBudget = finals.length > 0;
  // Out of budget, the researcher still needs an operating point: the fewest cut-offs, then the fastest.
  const final = withinBudget ? finals[0] : [...indices].sort((a, b) => points[a].cutoffRate - points[b].cutoffRate || byLatencyThenCutoff(a, b))[0];
  const finalP50 = points[final].latencyP50S!;
  const target = finalP50 - options.speculativeLeadS;
  const candidates = indices.filter((i) => points[i].cutoffRate <= options.speculativeCutoffBudget && points[i].latencyP50S! <= finalP50);
  const distance = (i: number): number => Math.abs(points[i].latencyP50S! - target);
  const speculative = candidates.reduce((best, i) => {
    const d = distance(i) - distance(best);
    return d < -1e-9 || (Math.abs(d) <= 1e-9 && points[i].cutoffRate < points[best].cutoffRate) ? i : best;
  }, final);
  return { speculative, final, withinBudget };
}

/** The grid, its Pareto front and the recommended pair's indices, in one synchronous pass. */
export function sweepGrid(
  utterances: readonly EvaluationUtterance[],
  options: SweepOptions = defaultSweepOptions,
): { points: SweepPoint[]; paretoFront: number[]; recommended: ReturnType<typeof recommendPair> } {
  const evaluation = createGridEvaluation(utterances.length, options);
  for (const utterance of utterances) evaluation.add(utterance);
  const points = evaluation.finish();
  return { points, paretoFront: paretoFront(points), recommended: recommendPair(points, options) };
}

export interface SweepHooks {
  /** Called after each slice of utterances with how many of the total are done. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Utterances per slice between yields to the event loop (progress, cancel). */
const SLICE = 200;

/**
 * The full sweep for the API: grid, Pareto front, recommended pair with its dual metrics,
 * and the presets on the same data. Yields to the event loop between slices so progress can
 * be reported and `signal` can cancel it (the promise then rejects with the abort reason).
 */
export async function runSweep(
  utterances: readonly EvaluationUtterance[],
  options: SweepOptions = defaultSweepOptions,
  hooks: SweepHooks = {},
): Promise<SweepResult> {
  const { signal, onProgress } = hooks;
  const evaluation = createGridEvaluation(utterances.length, options);
  for (let start = 0; start < utterances.length; start += SLICE) {
    signal?.throwIfAborted();
    for (const utterance of utterances.slice(start, start + SLICE)) evaluation.add(utterance);
    onProgress?.(Math.min(start + SLICE, utterances.length), utterances.length);
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  signal?.throwIfAborted();
  const points = evaluation.finish();
  const pair = recommendPair(points, options);
  const metricsOptions = { cutoffToleranceS: options.cutoffToleranceS, downstreamWorkS: options.downstreamWorkS };
  let recommended: SweepResult['recommended'] = null;
  if (pair !== null) {
    const speculativeConfig = configFromKnobs(points[pair.speculative].knobs);
    const finalConfig = configFromKnobs(points[pair.final].knobs);
    const { metrics } = evaluatePair(utterances, { speculative: speculativeConfig, final: finalConfig }, metricsOptions);
    recommended = { ...pair, speculativeConfig, finalConfig, metrics };
  }
  signal?.throwIfAborted();
  const presets = Object.fromEntries(endpointPresets.map((preset) => [preset.name, evaluateConfig(utterances, preset, metricsOptions)]));
  return { utterances: utterances.length, points, paretoFront: paretoFront(points), recommended, presets };
}
