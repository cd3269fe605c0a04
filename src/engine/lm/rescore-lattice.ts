/** The workbench's rescoring of one analysed utterance: its n-best and its lattice's best paths. */
import type { Hypothesis, Lattice } from '../../shared/domain/decode';
import type { CloudRescoring } from '../../shared/domain/rescore';
import type { LanguageModel } from './language-model';
import { candidatesOf, latticeWithLmScores, rankCandidates, rescoredScore, scoreCandidates, type RescoreWeights } from './rescore';

const KEPT = 10;

export async function rescoreLattice(
  lm: LanguageModel,
  lattice: Lattice,
  nbest: readonly Pick<Hypothesis, 'text' | 'acousticScore' | 'biasScore'>[],
  weights: RescoreWeights,
): Promise<CloudRescoring> {
  const t0 = performance.now();
  const first = nbest.map((h) => ({ words: h.text.split(/\s+/).filter((w) => w !== ''), acoustic: h.acousticScore, bias: h.biasScore }));
  const scored = await scoreCandidates(lm, candidatesOf(first, lattice));
  const ranked = rankCandidates(scored, weights);
  return {
    lm: { name: lm.name, kind: lm.kind, path: lm.path },
    ...weights,
    firstPass: nbest[0]?.text ?? '',
    rescored: ranked[0]?.words.join(' ') ?? '',
    nbest: ranked.slice(0, KEPT).map((c) => ({ text: c.words.join(' '), score: rescoredScore(c, weights), acousticScore: c.acoustic, biasScore: c.bias, lmScore: c.lm })),
    lattice: latticeWithLmScores(lattice, scored),
    ms: performance.now() - t0,
  };
}
