import type { RescoreWeights } from './rescore';

/** What `earshot rescore --tune` chose for the cloud model on the corpus's dev_open + dev_cmd decodes (README). */
export const DEFAULT_RESCORE_WEIGHTS: RescoreWeights = { lmWeight: 0.3, insertionPenalty: 0 };
