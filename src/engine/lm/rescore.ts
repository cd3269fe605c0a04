/**
 * Second-pass rescoring: every candidate (n-best entry or lattice path) gets its language-model score, and the
 * new 1-best maximises  acoustic + bias + lmWeight × lm − insertionPenalty × words.
 * With lmWeight 0 and penalty 0 the order is the first pass's.
 */
import type { Lattice } from '../../shared/domain/decode';
import { sentenceLogProb, type LanguageModel } from './language-model';
import { kBestLatticePaths } from './lattice-paths';

export interface RescoreWeights {
  lmWeight: number;
  insertionPenalty: number;
}

export interface Candidate {
  words: string[];
  acoustic: number;
  bias: number;
  /** Where it came from: the first pass's n-best, or a path of the lattice (arc indices). */
  nbestRank?: number;
  latticeArcs?: number[];
}

export interface ScoredCandidate extends Candidate {
  /** Natural-log LM score of each word, then of the end of the sentence. */
  wordLm: number[];
  lm: number;
}

/**
 * Paths of the lattice rescored besides the n-best. The LM's cost grows with the distinct word-piece prefixes of
 * the candidates: 16 paths keep it near 30 ms of one core per utterance with the cloud model (README).
 */
export const LATTICE_PATHS = 16;

export const firstPassScore = (c: Candidate): number => c.acoustic + c.bias;

export const rescoredScore = (c: ScoredCandidate, w: RescoreWeights): number =>
  firstPassScore(c) + w.lmWeight * c.lm - w.insertionPenalty * c.words.length;

/** The n-best and the lattice's best paths, one candidate per word sequence (the best first-pass score kept). */
export function candidatesOf(nbest: readonly { words: string[]; acoustic: number; bias: number }[], lattice?: Lattice, latticePaths = LATTICE_PATHS): Candidate[] {
  const byWords = new Map<string, Candidate>();
  const add = (c: Candidate): void => {
    const key = c.words.join(' ');
    const have = byWords.get(key);
    if (!have) byWords.set(key, c);
    else byWords.set(key, firstPassScore(c) > firstPassScore(have) ? { ...have, ...c } : { ...c, ...have });
  };
  nbest.forEach((h, rank) => add({ words: h.words, acoustic: h.acoustic, bias: h.bias, nbestRank: rank }));
  if (lattice) for (const p of kBestLatticePaths(lattice, latticePaths)) add({ words: p.words, acoustic: p.acoustic, bias: p.bias, latticeArcs: p.arcs });
  return [...byWords.values()];
}

export async function scoreCandidates(lm: LanguageModel, candidates: readonly Candidate[]): Promise<ScoredCandidate[]> {
  const scores = await lm.scoreWords(candidates.map((c) => c.words));
  return candidates.map((c, i) => ({ ...c, wordLm: scores[i], lm: sentenceLogProb(scores[i]) }));
}

/** Candidates best first under the weights (ties keep the first pass's order). */
export function rankCandidates(scored: readonly ScoredCandidate[], w: RescoreWeights): ScoredCandidate[] {
  return scored
    .map((c, i) => ({ c, i, s: rescoredScore(c, w) }))
    .sort((a, b) => b.s - a.s || firstPassScore(b.c) - firstPassScore(a.c) || a.i - b.i)
    .map((x) => x.c);
}

/**
 * A copy of the lattice with `lmScore` on the arcs of the rescored paths: each word's LM score in the history
 * of the best first-pass path through it (the end-of-sentence score on a path's last null arc).
 */
export function latticeWithLmScores(lattice: Lattice, scored: readonly ScoredCandidate[]): Lattice {
  const arcs = lattice.arcs.map((a) => ({ ...a }));
  const onPaths = scored.filter((c) => c.latticeArcs).sort((a, b) => firstPassScore(b) - firstPassScore(a));
  for (const c of onPaths) {
    let w = 0;
    for (const i of c.latticeArcs!) {
      const score = arcs[i].word !== '' ? c.wordLm[w++] : arcs[i].to === lattice.end ? c.wordLm[c.words.length] : 0;
      arcs[i].lmScore ??= score;
    }
  }
  return { ...lattice, arcs };
}
