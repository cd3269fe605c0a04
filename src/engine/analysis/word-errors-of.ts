import type { WordErrors } from '../../shared/domain/workbench';
import { wordErrors } from '../metrics/wer';

/** Word errors of a hypothesis, or null without a reference; JSON-safe (no Infinity). */
export function wordErrorsOf(reference: string | undefined, hypothesis: string): WordErrors | null {
  if (reference === undefined) return null;
  const e = wordErrors(reference, hypothesis);
  return { ...e, wer: e.referenceWords > 0 ? e.wer : null };
}
