import { ApiError } from '@shared/protocol';
import { latticeSchema } from '@engine/session/decode-result-schema';
import { describeIssues } from '@engine/session/describe-issues';
import { findLanguageModel } from '@engine/lm/find-language-model';
import { loadLanguageModel } from '@engine/lm/load-language-model';
import type { LanguageModel } from '@engine/lm/language-model';
import { rescoreLattice } from '@engine/lm/rescore-lattice';
import { latticeShapeProblem } from '@engine/lm/lattice-paths';
import { DEFAULT_RESCORE_WEIGHTS } from '@engine/lm/default-weights';
import type { Handlers } from '../dispatch';

/** The language model stays loaded between requests (a cloud model is tens of MB); another folder replaces it. */
let loaded: LanguageModel | undefined;

function languageModelAt(dir: string): LanguageModel {
  if (loaded?.path === dir) return loaded;
  loaded?.release();
  loaded = undefined;
  try {
    loaded = loadLanguageModel(dir);
  } catch (error) {
    throw new ApiError('bad-model', error instanceof Error ? error.message : String(error));
  }
  return loaded;
}

export const rescoreHandlers: Pick<Handlers, 'rescoreLattice'> = {
  async rescoreLattice({ lattice, nbest }, ctx) {
    const parsed = latticeSchema.safeParse(lattice);
    if (!parsed.success) throw new ApiError('invalid-params', `invalid params for rescoreLattice: lattice: ${describeIssues(parsed.error)}`);
    const problem = latticeShapeProblem(parsed.data);
    if (problem) throw new ApiError('invalid-params', `invalid params for rescoreLattice: lattice: ${problem}`);
    const dir = findLanguageModel(ctx.paths.models);
    if (!dir) return { lm: null, searched: [ctx.paths.models.user, ctx.paths.models.shipped] };
    return rescoreLattice(languageModelAt(dir), parsed.data, nbest, DEFAULT_RESCORE_WEIGHTS);
  },
};
