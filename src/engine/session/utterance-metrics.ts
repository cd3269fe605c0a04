import type { Session } from '../../shared/domain/session';
import { annotationOf, metricReference } from './annotations';
import { wordErrors, type WordErrors } from '../metrics/wer';

/** Metrics of one utterance, computed against the annotated reference. */
export interface UtteranceMetrics {
  utteranceId: string;
  recordingId: string;
  audio: string;
  referenceText: string | undefined;
  textSource: 'corrected' | 'dataset' | 'none';
  hypothesis: string | undefined;
  /** Against the annotated reference; null without a reference or an inline result. */
  errors: WordErrors | null;
  referenceEndS: number | undefined;
  endSource: 'marked' | 'dataset' | 'none';
  /** Per end-pointer: when it fired and how late that was against the reference end (negative: it cut speech off). */
  endpoints: { detector: string; endS: number | null; latencyS: number | null }[];
  tags: string[];
  flags: string[];
}

export function utteranceMetrics(session: Session): UtteranceMetrics[] {
  const audioOf = new Map(session.recordings.map((r) => [r.id, r.path]));
  return session.utterances.map((u) => {
    const annotation = annotationOf(session, u.id);
    const ref = metricReference(u, annotation);
    const hypothesis = u.result?.kind === 'inline' ? u.result.decode.hyp : undefined;
    const errors = ref.text !== undefined && hypothesis !== undefined ? wordErrors(ref.text, hypothesis) : null;
    return {
      utteranceId: u.id,
      recordingId: u.recordingId,
      audio: audioOf.get(u.recordingId) ?? '',
      referenceText: ref.text,
      textSource: ref.textSource,
      hypothesis,
      errors,
      referenceEndS: ref.speechEndS,
      endSource: ref.endSource,
      endpoints: u.endpoints.map((e) => ({
        detector: e.detector,
        endS: e.endS,
        latencyS: e.endS !== null && ref.speechEndS !== undefined ? e.endS - ref.speechEndS : null,
      })),
      tags: annotation.tags,
      flags: annotation.flags,
    };
  });
}
