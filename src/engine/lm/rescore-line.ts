/**
 * Rescoring of `earshot decode` lines: each line's n-best (and its lattice, when the line carries one) is
 * scored by the language model once; the weights then only re-rank, so a grid search over them is cheap.
 */
import type { Lattice } from '../../shared/domain/decode';
import type { ResultLine } from '../dataset/result-line';
import { wordErrors } from '../metrics/wer';
import type { LanguageModel } from './language-model';
import { candidatesOf, latticeWithLmScores, rankCandidates, rescoredScore, scoreCandidates, type RescoreWeights, type ScoredCandidate } from './rescore';

/** A decode line as rescoring reads it: the first pass's n-best, maybe a lattice. */
export type DecodeLine = ResultLine & { id?: string; lattice?: Lattice; [key: string]: unknown };

export interface ScoredLine {
  line: DecodeLine;
  candidates: ScoredCandidate[];
  /** Wall time of the LM scoring and the lattice paths (ms). */
  ms: number;
}

/** How many rescored entries a line keeps (the best under the chosen weights). */
const KEPT = 10;

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

export const wordsOf = (text: string): string[] => text.split(/\s+/).filter((w) => w !== '');

/** Lines that failed to decode, or have no hypotheses at all, are passed through. */
export const isRescorable = (line: DecodeLine): boolean => !line.error && Array.isArray(line.nbest) && line.nbest.length > 0;

export async function scoreLine(lm: LanguageModel, line: DecodeLine): Promise<ScoredLine> {
  const t0 = performance.now();
  const nbest = line.nbest.map((h) => ({ words: wordsOf(h.text), acoustic: h.acoustic_score, bias: h.bias_score }));
  const candidates = await scoreCandidates(lm, candidatesOf(nbest, line.lattice));
  return { line, candidates, ms: performance.now() - t0 };
}

export interface RescoredFields {
  hyp: string;
  first_pass_hyp: string;
  rescore: {
    lm: string;
    lm_kind: LanguageModel['kind'];
    lm_weight: number;
    insertion_penalty: number;
    candidates: number;
    ms: number;
    nbest: { text: string; score: number; acoustic_score: number; bias_score: number; lm_score: number }[];
  };
  lattice?: Lattice;
}

/** The output line: the rescored 1-best as `hyp`, the first pass's kept as `first_pass_hyp`, the details under `rescore`. */
export function rescoredLine(lm: LanguageModel, scored: ScoredLine, w: RescoreWeights): DecodeLine & RescoredFields {
  const ranked = rankCandidates(scored.candidates, w);
  const { line } = scored;
  return {
    ...line,
    hyp: ranked[0].words.join(' '),
    first_pass_hyp: line.hyp,
    rescore: {
      lm: lm.name,
      lm_kind: lm.kind,
      lm_weight: w.lmWeight,
      insertion_penalty: w.insertionPenalty,
      candidates: ranked.length,
      ms: r4(scored.ms),
      nbest: ranked.slice(0, KEPT).map((c) => ({ text: c.words.join(' '), score: r4(rescoredScore(c, w)), acoustic_score: r4(c.acoustic), bias_score: r4(c.bias), lm_score: r4(c.lm) })),
    },
    ...(line.lattice ? { lattice: latticeWithLmScores(line.lattice, scored.candidates) } : {}),
  };
}

export interface WerTotals {
  utterances: number;
  words: number;
  errors: number;
  wer: number;
}

/** Corpus WER of the lines with a reference, taking each line's hypothesis from `hyp`. */
export function werOf<T>(items: readonly T[], ref: (x: T) => string | undefined, hyp: (x: T) => string): WerTotals {
  let words = 0;
  let errors = 0;
  let utterances = 0;
  for (const x of items) {
    const r = ref(x);
    if (r === undefined) continue;
    const e = wordErrors(r, hyp(x));
    utterances++;
    words += e.referenceWords;
    errors += e.substitutions + e.deletions + e.insertions;
  }
  return { utterances, words, errors, wer: words > 0 ? errors / words : 0 };
}

/** WER of scored lines under the given weights (the first pass's with lmWeight 0 and penalty 0). */
export const werUnder = (lines: readonly ScoredLine[], w: RescoreWeights): WerTotals =>
  werOf(lines, (s) => s.line.text, (s) => rankCandidates(s.candidates, w)[0].words.join(' '));

export const LM_WEIGHTS = [0, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2];
// Negative: a bonus per word, which the acoustic scores' bias towards short hypotheses often needs.
export const INSERTION_PENALTIES = [-4, -3, -2, -1, -0.5, 0, 0.5, 1, 2];

export interface TuneResult extends RescoreWeights {
  wer: number;
  firstPassWer: number;
  grid: { lmWeight: number; insertionPenalty: number; wer: number }[];
}

/** The grid point with the lowest WER on the dev lines; ties go to the smaller weight, then the smaller |penalty|. */
export function tuneWeights(lines: readonly ScoredLine[]): TuneResult {
  const grid = LM_WEIGHTS.flatMap((lmWeight) => INSERTION_PENALTIES.map((insertionPenalty) => ({ lmWeight, insertionPenalty, wer: werUnder(lines, { lmWeight, insertionPenalty }).wer })));
  const best = [...grid].sort((a, b) => a.wer - b.wer || a.lmWeight - b.lmWeight || Math.abs(a.insertionPenalty) - Math.abs(b.insertionPenalty))[0];
  return { ...best, firstPassWer: werOf(lines, (s) => s.line.text, (s) => s.line.hyp).wer, grid };
}
