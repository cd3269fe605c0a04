/** Named runs of a data set as the workbench lists and compares them. */
import type { Comparison } from './compare';
import type { SessionRun } from './session';

/** A run's settings as the session file holds them, with what it decoded instead of the decodes. */
export interface RunSummary extends Pick<SessionRun, 'id' | 'name' | 'createdAt' | 'model' | 'decoding' | 'context' | 'endpoints'> {
  /** Utterances it decoded, and those it could not. */
  decoded: number;
  failed: number;
  /** Corpus WER (fraction) against the session's references, annotations applied; null without any. */
  wer: number | null;
}

export interface RunList {
  runs: RunSummary[];
  /** The run the sidebar, the summary and the tuning panel show. */
  selected: string | null;
}

/** One point of a run's end-pointer Pareto front: the final end-pointer's p50 latency against its cut-off rate. */
export interface FrontPoint {
  latencyP50S: number;
  cutoffRate: number;
}

export interface RunComparison {
  a: RunSummary;
  b: RunSummary;
  comparison: Comparison;
  fronts: { a: FrontPoint[]; b: FrontPoint[] };
}
