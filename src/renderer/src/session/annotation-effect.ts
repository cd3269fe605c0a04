import type { UtteranceSummary } from '@shared/domain/workbench';

/** What an annotation changed on its utterance's metrics. */
export interface AnnotationEffect {
  werBefore: number | null;
  werAfter: number | null;
  latencyBeforeS: number | null;
  latencyAfterS: number | null;
}

/**
 * `row` is the utterance scored with its annotation; the host adds `unannotated` (scored against
 * the data set's own transcript and end) whenever an annotation changed the reference.
 */
export function annotationEffect(row: UtteranceSummary): AnnotationEffect {
  const werAfter = row.errors?.wer ?? null;
  const latencyAfterS = row.endpoints.final.latencyS;
  const before = row.unannotated;
  return {
    werBefore: before ? (before.errors?.wer ?? null) : werAfter,
    werAfter,
    latencyBeforeS: before ? before.finalLatencyS : latencyAfterS,
    latencyAfterS,
  };
}
