import type { ComparedUtterance, Comparison, ComparisonInput, ComparisonSummary, Verdict } from '../../shared/domain/compare';
import { normalizeWords, wordErrors } from '../metrics/wer';
import { defaultMetricDefinitions, percentile } from '../endpoint/metrics';
import { DEFAULT_RESAMPLES, DEFAULT_SEED, pairedBootstrap } from './paired-bootstrap';
import { mulberry32 } from '../metrics/seeded-random';

export interface CompareOptions {
  resamples?: number;
  seed?: number;
}

const percent = (errors: number, words: number): number | null => (words > 0 ? (100 * errors) / words : null);

function verdictOf(errorsA: number | null, errorsB: number | null): Verdict {
  if (errorsA === null || errorsB === null) return 'unscored';
  return errorsB < errorsA ? 'better' : errorsB > errorsA ? 'worse' : 'same';
}

/** One utterance of both runs scored against its reference, with the project's end-pointer definitions. */
export function compareUtterance(input: ComparisonInput): ComparedUtterance {
  const { text, speechEndS } = input.reference;
  const words = text === null ? 0 : normalizeWords(text).length;
  const scoreOf = (hyp: string): number | null => (words > 0 ? wordErrors(text ?? '', hyp).errors : null);
  const { cutoffToleranceS, timeoutS } = defaultMetricDefinitions;
  const latencyOf = (finalS: number | null): number | null => (speechEndS === null ? null : (finalS ?? timeoutS) - speechEndS);
  const cutOff = (finalS: number | null): boolean => speechEndS !== null && finalS !== null && finalS < speechEndS - cutoffToleranceS;
  const errorsA = scoreOf(input.a.hyp);
  const errorsB = scoreOf(input.b.hyp);
  return {
    id: input.id,
    reference: text,
    hypA: input.a.hyp,
    hypB: input.b.hyp,
    words,
    errorsA,
    errorsB,
    werA: errorsA === null ? null : percent(errorsA, words),
    werB: errorsB === null ? null : percent(errorsB, words),
    wordsChanged: wordErrors(input.a.hyp, input.b.hyp).errors,
    latencyA: latencyOf(input.a.finalS),
    latencyB: latencyOf(input.b.finalS),
    firedA: input.a.finalS !== null,
    firedB: input.b.finalS !== null,
    cutOffA: cutOff(input.a.finalS),
    cutOffB: cutOff(input.b.finalS),
    verdict: verdictOf(errorsA, errorsB),
  };
}

const count = (rows: readonly ComparedUtterance[], test: (r: ComparedUtterance) => boolean): number => rows.reduce((n, r) => n + (test(r) ? 1 : 0), 0);

function p50Of(values: ArrayLike<number>): number | null {
  return percentile(Float64Array.from(values).sort(), 0.5);
}

/**
 * The data set's A/B summary: corpus WERs, the paired bootstrap interval of the WER difference
 * (corpus WER recomputed from the summed errors and words of each resample) and of the p50
 * final latency difference. Each interval draws from its own generator seeded with `seed`.
 */
export function summarizeComparison(rows: readonly ComparedUtterance[], options: CompareOptions = {}): ComparisonSummary {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? DEFAULT_SEED;
  const scored = rows.filter((r) => r.errorsA !== null && r.errorsB !== null);
  const errA = Int32Array.from(scored, (r) => r.errorsA ?? 0);
  const errB = Int32Array.from(scored, (r) => r.errorsB ?? 0);
  const words = Int32Array.from(scored, (r) => r.words);
  const sum = (xs: Int32Array): number => xs.reduce((s, x) => s + x, 0);
  const referenceWords = sum(words);
  const werDiff = (indices: Int32Array): number => {
    let a = 0;
    let b = 0;
    let w = 0;
    for (const i of indices) {
      a += errA[i];
      b += errB[i];
      w += words[i];
    }
    return (100 * (b - a)) / w;
  };
  const timed = rows.filter((r) => r.latencyA !== null && r.latencyB !== null);
  const latA = Float64Array.from(timed, (r) => r.latencyA ?? 0);
  const latB = Float64Array.from(timed, (r) => r.latencyB ?? 0);
  const p50Diff = (indices: Int32Array): number => (p50Of(Array.from(indices, (i) => latB[i])) ?? 0) - (p50Of(Array.from(indices, (i) => latA[i])) ?? 0);
  return {
    utterances: rows.length,
    scored: scored.length,
    referenceWords,
    werA: percent(sum(errA), referenceWords),
    werB: percent(sum(errB), referenceWords),
    wer: scored.length > 0 ? pairedBootstrap(scored.length, werDiff, resamples, mulberry32(seed)) : null,
    better: count(rows, (r) => r.verdict === 'better'),
    worse: count(rows, (r) => r.verdict === 'worse'),
    same: count(rows, (r) => r.verdict === 'same'),
    changedUtterances: count(rows, (r) => r.wordsChanged > 0),
    wordsChanged: rows.reduce((n, r) => n + r.wordsChanged, 0),
    latency: {
      withReference: timed.length,
      p50A: p50Of(latA),
      p50B: p50Of(latB),
      p50Diff: timed.length > 0 ? pairedBootstrap(timed.length, p50Diff, resamples, mulberry32(seed)) : null,
      cutOffsA: count(rows, (r) => r.cutOffA),
      cutOffsB: count(rows, (r) => r.cutOffB),
      noFiresA: count(rows, (r) => r.latencyA !== null && !r.firedA),
      noFiresB: count(rows, (r) => r.latencyB !== null && !r.firedB),
    },
    resamples,
    seed,
  };
}

/** Both runs over the same utterances, row by row and summed up. */
export function compareRuns(inputs: readonly ComparisonInput[], options: CompareOptions = {}): Comparison {
  const rows = inputs.map(compareUtterance);
  return { rows, summary: summarizeComparison(rows, options) };
}
