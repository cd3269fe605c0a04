import type { ModelDecoding } from './model-dir';

/**
 * The token-LM weights a decode fuses: the request's, else the model's (model.json `decode.lm`); none with
 * greedy search (no hypotheses to re-rank), a weight of 0, or a model without an LM and no weight asked for.
 */
export function fusedLmOf(options: { beam?: number; lmWeight?: number; lmBonus?: number }, lm: ModelDecoding['lm']): { weight: number; bonus: number } | undefined {
  const weight = options.lmWeight ?? lm?.weight ?? 0;
  if ((options.beam ?? 4) <= 1 || weight === 0) return undefined;
  return { weight, bonus: options.lmBonus ?? lm?.tokenBonus ?? 0 };
}
