/**
 * An A/B comparison of two runs over the same utterances, as the engine computes it
 * (src/engine/compare) for the workbench and `earshot compare`. WERs are in per cent,
 * latencies in seconds.
 */

/** What one run said about one utterance: its 1-best and when its final end-pointer fired. */
export interface RunOutcome {
  hyp: string;
  /** Final end-pointer decision (s from the utterance's start); null when it never fired. */
  finalS: number | null;
}

/** One utterance as both runs saw it, against the reference both are scored with. */
export interface ComparisonInput {
  id: string;
  reference: { text: string | null; speechEndS: number | null };
  a: RunOutcome;
  b: RunOutcome;
}

export type Verdict = 'better' | 'worse' | 'same' | 'unscored';

/** One row of the A/B table. */
export interface ComparedUtterance {
  id: string;
  reference: string | null;
  hypA: string;
  hypB: string;
  /** Reference words; 0 without a reference. */
  words: number;
  errorsA: number | null;
  errorsB: number | null;
  /** Per cent; null without a reference. */
  werA: number | null;
  werB: number | null;
  /** Word edits that turn A's hypothesis into B's. */
  wordsChanged: number;
  /** Final end-pointer latency (s) against the reference end, a no-fire counted at the timeout; null without a reference end. */
  latencyA: number | null;
  latencyB: number | null;
  firedA: boolean;
  firedB: boolean;
  /** Fired before the reference end. */
  cutOffA: boolean;
  cutOffB: boolean;
  /** B against A by word errors: better = fewer. */
  verdict: Verdict;
}

/** A bootstrap interval of a B − A difference. */
export interface DifferenceInterval {
  /** B − A on the whole data set. */
  diff: number;
  /** The 95 % percentile interval over the resamples. */
  ci: [number, number];
  /** Share of resamples in which B − A > 0 (B worse for WER and latency). */
  shareAbove: number;
}

export interface ComparisonSummary {
  utterances: number;
  /** Utterances with a non-empty reference transcript: those the WER figures cover. */
  scored: number;
  referenceWords: number;
  /** Corpus WER (summed errors over summed words), per cent. */
  werA: number | null;
  werB: number | null;
  /** B − A in percentage points; null without scored utterances. */
  wer: DifferenceInterval | null;
  better: number;
  worse: number;
  same: number;
  /** Utterances whose hypotheses differ, and the word edits between them in all. */
  changedUtterances: number;
  wordsChanged: number;
  latency: {
    /** Utterances with a reference end: those the latency figures cover. */
    withReference: number;
    p50A: number | null;
    p50B: number | null;
    /** p50 B − p50 A (s), with its interval; null without a reference end. */
    p50Diff: DifferenceInterval | null;
    cutOffsA: number;
    cutOffsB: number;
    noFiresA: number;
    noFiresB: number;
  };
  resamples: number;
  seed: number;
}

export interface Comparison {
  rows: ComparedUtterance[];
  summary: ComparisonSummary;
}
