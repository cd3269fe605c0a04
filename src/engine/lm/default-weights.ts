import type { RescoreWeights } from './rescore';

/**
 * What tuning chose for the cloud model (training/lm, 60 min) on dense-lattice decodes of the corpus's dev_open and
 * dev_cmd (400 utterances, shipped model, beam 4, 16 lattice paths): a word bonus, as the acoustic sums favour
 * short hypotheses. `earshot rescore --tune` finds a model's own.
 */
export const DEFAULT_RESCORE_WEIGHTS: RescoreWeights = { lmWeight: 0.5, insertionPenalty: -4 };
