/**
 * The rescoring figures of `npm run bench lattice`: the cloud language model's WER over decoded utterances and
 * what rescoring costs per utterance on one core (the lattice's k-best paths and the LM, both timed).
 *
 * The LM is EARSHOT_BENCH_LM (a folder with lm.json, or an .arpa file), else the one the workbench would find in
 * the models folders (training/lm/train.py builds it there); without one the figures are null and `lm` says why.
 * Weights are the defaults `earshot rescore` uses (tuned on dev decodes, see default-weights.ts).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hypothesis, Lattice } from '../src/shared/domain/decode';
import { DEFAULT_RESCORE_WEIGHTS } from '../src/engine/lm/default-weights';
import { findLanguageModel } from '../src/engine/lm/find-language-model';
import { loadLanguageModel } from '../src/engine/lm/load-language-model';
import { candidatesOf, rankCandidates, scoreCandidates, type RescoreWeights } from '../src/engine/lm/rescore';
import { werOf } from '../src/engine/lm/rescore-line';
import { userModelsDir } from '../src/engine/models/models-home';

/** One decoded utterance: its reference, the first pass's n-best (1-best first) and lattice. */
export interface DecodedUtterance {
  reference: string;
  nbest: readonly Pick<Hypothesis, 'text' | 'acousticScore' | 'biasScore'>[];
  lattice?: Lattice;
}

export interface RescoreFigures {
  wer_first_pass: number;
  wer_rescored: number | null;
  rescore_ms_per_utt: number | null;
  /** The LM's path, or why there is none. */
  lm: string;
}

const root = fileURLToPath(new URL('..', import.meta.url));

export function benchLanguageModelPath(): string | undefined {
  return process.env.EARSHOT_BENCH_LM ?? findLanguageModel({ user: userModelsDir(), shipped: join(root, 'resources', 'models') });
}

const r4 = (x: number): number => Number(x.toFixed(4));

export async function latticeRescoreFigures(utterances: readonly DecodedUtterance[], weights: RescoreWeights = DEFAULT_RESCORE_WEIGHTS): Promise<RescoreFigures> {
  const firstPass = werOf(utterances, (u) => u.reference, (u) => u.nbest[0]?.text ?? '').wer;
  const path = benchLanguageModelPath();
  if (!path) return { wer_first_pass: r4(firstPass), wer_rescored: null, rescore_ms_per_utt: null, lm: 'none installed (training/lm/train.py builds one into the models folder)' };
  const lm = loadLanguageModel(path);
  try {
    const hyps: string[] = [];
    let ms = 0;
    for (const u of utterances) {
      const t0 = performance.now();
      const first = u.nbest.map((h) => ({ words: h.text.split(/\s+/).filter((w) => w !== ''), acoustic: h.acousticScore, bias: h.biasScore }));
      const ranked = rankCandidates(await scoreCandidates(lm, candidatesOf(first, u.lattice)), weights);
      ms += performance.now() - t0;
      hyps.push(ranked[0]?.words.join(' ') ?? '');
    }
    const rescored = werOf(utterances.map((u, i) => ({ u, hyp: hyps[i] })), (x) => x.u.reference, (x) => x.hyp).wer;
    return { wer_first_pass: r4(firstPass), wer_rescored: r4(rescored), rescore_ms_per_utt: r4(ms / Math.max(1, utterances.length)), lm: path };
  } finally {
    lm.release();
  }
}
