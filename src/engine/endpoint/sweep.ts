import type { EndpointKnobs, EndpointMetrics, NonSpeechSource, PairChoice, SweepOptions, SweepPoint, SweepResult } from '../../shared/domain/endpoint';
import { configFromKnobs, defaultEndpointKnobs, secondsToFrames } from './endpoint-config';
import { createEndpointScanner } from './decide-endpoint';
import { decisionTimes } from './endpoint-stream';
import { defaultMetricDefinitions, evaluatePair, isSpeechFree, noFireTimeS, percentile, type EvaluationUtterance, type MetricsOptions } from './metrics';
import { evaluateBaselines } from './vad-endpointer';

/**
 * The end-of-query head tuned jointly with its trailing-silence evidence: per non-speech source
 * (the 1-best's blanks, or Silero VAD), 1 + 6 × 4 end-of-query settings × 10 silence fallbacks.
 */
export const defaultSweepOptions: SweepOptions = {
  grid: {
    nonSpeech: ['blank', 'vad'],
    eoqThresholds: [null, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98],
    eoqMinTrailingSilenceS: [0.04, 0.08, 0.16, 0.24],
    minTrailingSilenceS: [0.2, 0.28, 0.36, 0.44, 0.52, 0.6, 0.8, 1.0, 1.2, 1.6],
    base: { ...defaultEndpointKnobs, eoqFrames: 1 },
  },
  finalCutoffBudget: 0.01,
  speculativeCutoffBudget: 0.05,
  noFireBudget: 0.01,
  speculativeLeadS: 0.15,
  definitions: defaultMetricDefinitions,
  downstreamWorkS: 0.3,
};

/** 10 thresholds × 10 silences on the 1-best's blanks: the grid the speed goal is stated for. */
export const hundredPointGrid: SweepOptions['grid'] = {
  nonSpeech: ['blank'],
  eoqThresholds: [null, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99],
  eoqMinTrailingSilenceS: [0.12],
  minTrailingSilenceS: [0.2, 0.28, 0.36, 0.44, 0.52, 0.6, 0.8, 1.0, 1.2, 1.6],
  base: defaultSweepOptions.grid.base,
};

/** End-of-query settings of one non-speech source: (threshold, its trailing non-speech), nulls once. */
function eoqSettings(grid: SweepOptions['grid']): Array<{ eoqThreshold: number | null; eoqMinTrailingSilenceS: number }> {
  return grid.eoqThresholds.flatMap((eoqThreshold): Array<{ eoqThreshold: number | null; eoqMinTrailingSilenceS: number }> =>
    eoqThreshold === null
      ? [{ eoqThreshold, eoqMinTrailingSilenceS: grid.base.eoqMinTrailingSilenceS }]
      : grid.eoqMinTrailingSilenceS.map((eoqMinTrailingSilenceS) => ({ eoqThreshold, eoqMinTrailingSilenceS })),
  );
}

/** The grid's points in order: non-speech source, end-of-query setting, then trailing silence. */
export function gridKnobs(options: SweepOptions): EndpointKnobs[] {
  const { grid } = options;
  return grid.nonSpeech.flatMap((nonSpeech) =>
    eoqSettings(grid).flatMap((eoq) => grid.minTrailingSilenceS.map((minTrailingSilenceS) => ({ ...grid.base, nonSpeech, ...eoq, minTrailingSilenceS }))),
  );
}

/** The grid without the non-speech sources some utterance cannot evaluate (`vad` needs Silero tracks). */
export function gridFor(utterances: readonly EvaluationUtterance[], options: SweepOptions): SweepOptions {
  const usable = (source: NonSpeechSource): boolean => source !== 'vad' || utterances.every((u) => u.stream.trace.vad?.silero !== undefined);
  return { ...options, grid: { ...options.grid, nonSpeech: options.grid.nonSpeech.filter(usable) } };
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
  /** When a no-fire is counted (s). */
  noFireS: number;
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

export function prepareUtterance(utterance: EvaluationUtterance, base: EndpointKnobs, options: Pick<MetricsOptions, 'definitions'> = { definitions: defaultMetricDefinitions }): PreparedUtterance {
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
    noFireS: noFireTimeS(utterance.stream, options.definitions),
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

/**
 * Per grid point of one non-speech source, the fire frame on one utterance (−1: never),
 * written into `out` from `offset`; returns the offset after them.
 */
export function fireFrames(u: PreparedUtterance, options: SweepOptions, out: Int32Array, offset = 0): number {
  const { grid } = options;
  const silenceFrames = grid.minTrailingSilenceS.map((s) => secondsToFrames(s, u.frameShiftS));
  let p = offset;
  for (const { eoqThreshold, eoqMinTrailingSilenceS } of eoqSettings(grid)) {
    const eoqFrame = eoqThreshold === null ? -1 : firstEoqFrame(u, eoqThreshold, grid.base.eoqFrames, secondsToFrames(eoqMinTrailingSilenceS, u.frameShiftS));
    const base = earliest(eoqFrame, u.maxLengthFrame);
    for (const frames of silenceFrames) {
      const silence = frames < u.firstSilenceRun.length ? u.firstSilenceRun[frames] : -1;
      out[p++] = earliest(base, silence);
    }
  }
  return p;
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
    let offset = 0;
    let u: PreparedUtterance | undefined;
    for (const nonSpeech of options.grid.nonSpeech) {
      u = prepareUtterance(utterance, { ...options.grid.base, nonSpeech }, options);
      offset = fireFrames(u, options, frames, offset);
    }
    if (u === undefined) return;
    const end = u.referenceEndS;
    if (u.speechFree) {
      speechFree++;
      for (let p = 0; p < points; p++) if (frames[p] >= 0) falseFires[p]++;
    }
    if (Number.isNaN(end)) return;
    const cutBefore = end - options.definitions.cutoffToleranceS;
    const slot = withSpeech++;
    for (let p = 0; p < points; p++) {
      const f = frames[p];
      const timeS = f >= 0 ? u.times[f] : u.noFireS;
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
        withReference: withSpeech,
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

/** What a pair misses of the budgets and the lead, in words; empty when it qualifies. */
export function shortfallsOf(
  pair: { finalCutoff: number; finalNoFire: number; speculativeCutoff: number; speculativeNoFire: number; leadS: number | null },
  options: SweepOptions,
): string[] {
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  const out: string[] = [];
  if (pair.finalCutoff > options.finalCutoffBudget) out.push(`final cut-off ${pct(pair.finalCutoff)} > ${pct(options.finalCutoffBudget)}`);
  if (pair.finalNoFire > options.noFireBudget) out.push(`final no-fire ${pct(pair.finalNoFire)} > ${pct(options.noFireBudget)}`);
  if (pair.speculativeCutoff > options.speculativeCutoffBudget) out.push(`speculative cut-off ${pct(pair.speculativeCutoff)} > ${pct(options.speculativeCutoffBudget)}`);
  if (pair.speculativeNoFire > options.noFireBudget) out.push(`speculative no-fire ${pct(pair.speculativeNoFire)} > ${pct(options.noFireBudget)}`);
  if (pair.leadS === null || pair.leadS < options.speculativeLeadS - 1e-9) {
    out.push(`lead ${pair.leadS === null ? '–' : `${Math.round(pair.leadS * 1000)} ms`} < ${Math.round(options.speculativeLeadS * 1000)} ms at p50`);
  }
  return out;
}

/** The shortfalls of a pair of grid points, each scored as a single end-pointer. */
function pointShortfalls(points: readonly SweepPoint[], speculative: number, final: number, options: SweepOptions): string[] {
  const s = points[speculative];
  const f = points[final];
  return shortfallsOf(
    { finalCutoff: f.cutoffRate, finalNoFire: f.noFireRate, speculativeCutoff: s.cutoffRate, speculativeNoFire: s.noFireRate, leadS: f.latencyP50S! - s.latencyP50S! },
    options,
  );
}

/** The shortfalls of a pair run together (the speculative one can inherit the final's decision). */
export function metricsShortfalls(metrics: EndpointMetrics, options: SweepOptions): string[] {
  const { speculative, final, leadP50S } = metrics;
  return shortfallsOf(
    { finalCutoff: final.cutoffRate, finalNoFire: final.noFireRate, speculativeCutoff: speculative.cutoffRate, speculativeNoFire: speculative.noFireRate, leadS: leadP50S },
    options,
  );
}

/**
 * Pairs that qualify as single end-pointers, best first: finals by p50 within the final cut-off
 * and no-fire budgets; for each, the speculative points within their own budgets whose p50 is
 * at least `speculativeLeadS` earlier, fastest first.
 */
export function* qualifyingPairs(points: readonly SweepPoint[], options: SweepOptions): Generator<{ speculative: number; final: number }> {
  const p50 = (i: number): number => points[i].latencyP50S!;
  const byLatency = points
    .map((_, i) => i)
    .filter((i) => points[i].latencyP50S !== null)
    .sort((a, b) => p50(a) - p50(b) || points[a].cutoffRate - points[b].cutoffRate);
  const within = (i: number, cutoffBudget: number): boolean => points[i].cutoffRate <= cutoffBudget && points[i].noFireRate <= options.noFireBudget;
  const speculatives = byLatency.filter((i) => within(i, options.speculativeCutoffBudget));
  for (const final of byLatency.filter((i) => within(i, options.finalCutoffBudget))) {
    for (const speculative of speculatives) {
      if (p50(speculative) > p50(final) - options.speculativeLeadS + 1e-9) break;
      yield { speculative, final };
    }
  }
}

/**
 * The operating pair from the grid's single-end-pointer figures: the first qualifying pair, or,
 * when none qualifies, the nearest one: the pair that misses the budgets and the lead by the
 * least (each shortfall in units of its budget), so the researcher still sees where the grid stands.
 */
export function recommendPair(points: readonly SweepPoint[], options: SweepOptions): PairChoice | null {
  if (points.every((p) => p.latencyP50S === null)) return null;
  const first = qualifyingPairs(points, options).next();
  if (!first.done) return { ...first.value, qualifies: true, shortfalls: [] };
  return nearestPair(points, options);
}

/** How far a point misses a budget, in units of the budget (0 when within). */
function excess(value: number, budget: number): number {
  return Math.max(0, value - budget) / Math.max(budget, 0.01);
}

function nearestPair(points: readonly SweepPoint[], options: SweepOptions): PairChoice {
  const p50 = (i: number): number => points[i].latencyP50S!;
  const byLatency = points.map((_, i) => i).filter((i) => points[i].latencyP50S !== null).sort((a, b) => p50(a) - p50(b));
  const miss = (i: number, cutoffBudget: number): number => excess(points[i].cutoffRate, cutoffBudget) + excess(points[i].noFireRate, options.noFireBudget);
  let best: { speculative: number; final: number; score: number } | null = null;
  for (const final of byLatency) {
    const finalMiss = miss(final, options.finalCutoffBudget);
    if (best !== null && finalMiss >= best.score) continue;
    for (const speculative of byLatency) {
      const leadMiss = Math.max(0, options.speculativeLeadS - (p50(final) - p50(speculative))) / Math.max(options.speculativeLeadS, 0.01);
      const score = finalMiss + miss(speculative, options.speculativeCutoffBudget) + leadMiss;
      if (best === null || score < best.score - 1e-12) best = { speculative, final, score };
    }
  }
  const { speculative, final } = best!;
  return { speculative, final, qualifies: false, shortfalls: pointShortfalls(points, speculative, final, options) };
}

/** Qualifying pairs tried with both end-pointers run together before settling for the grid's first. */
const PAIRS_TRIED = 30;

/** The grid, its Pareto front and the recommended pair's indices, in one synchronous pass. */
export function sweepGrid(
  utterances: readonly EvaluationUtterance[],
  options: SweepOptions = defaultSweepOptions,
): { points: SweepPoint[]; paretoFront: number[]; recommended: ReturnType<typeof recommendPair> } {
  options = gridFor(utterances, options);
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
  options = gridFor(utterances, options);
  const evaluation = createGridEvaluation(utterances.length, options);
  for (let start = 0; start < utterances.length; start += SLICE) {
    signal?.throwIfAborted();
    for (const utterance of utterances.slice(start, start + SLICE)) evaluation.add(utterance);
    onProgress?.(Math.min(start + SLICE, utterances.length), utterances.length);
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  signal?.throwIfAborted();
  const points = evaluation.finish();
  const metricsOptions: MetricsOptions = { definitions: options.definitions, downstreamWorkS: options.downstreamWorkS };
  const run = (pair: { speculative: number; final: number }) => {
    const speculativeConfig = configFromKnobs(points[pair.speculative].knobs);
    const finalConfig = configFromKnobs(points[pair.final].knobs);
    const { metrics } = evaluatePair(utterances, { speculative: speculativeConfig, final: finalConfig }, metricsOptions);
    return { ...pair, speculativeConfig, finalConfig, metrics };
  };
  // Run together, a pair can differ from its points (the final may decide first), so what is
  // recommended is checked on the pair itself.
  let recommended: SweepResult['recommended'] = null;
  let tried = 0;
  for (const candidate of qualifyingPairs(points, options)) {
    signal?.throwIfAborted();
    const result = run(candidate);
    if (metricsShortfalls(result.metrics, options).length === 0) {
      recommended = { ...result, qualifies: true, shortfalls: [] };
      break;
    }
    if (++tried >= PAIRS_TRIED) break;
  }
  const choice = recommended === null ? recommendPair(points, options) : null;
  if (choice !== null) {
    const result = run(choice);
    const shortfalls = metricsShortfalls(result.metrics, options);
    recommended = { ...result, qualifies: shortfalls.length === 0, shortfalls };
  }
  signal?.throwIfAborted();
  const baselines = evaluateBaselines(utterances, metricsOptions);
  return { utterances: utterances.length, definitions: options.definitions, points, paretoFront: paretoFront(points), recommended, baselines };
}
