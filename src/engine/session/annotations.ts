import type {
  AnnotationPatch,
  MetricReference,
  Session,
  SessionUtterance,
  UtteranceAnnotation,
} from '../../shared/domain/session';
import { SessionError } from './session-error';

/** Pure functions over annotations. Sessions are treated as immutable values. */

export const EMPTY_ANNOTATION: UtteranceAnnotation = Object.freeze({ tags: [], notes: '', flags: [] }) as UtteranceAnnotation;

/** The annotation of an utterance (own keys only: ids come from files). */
export function annotationOf(session: Session, utteranceId: string): UtteranceAnnotation {
  return Object.hasOwn(session.annotations, utteranceId) ? session.annotations[utteranceId] : EMPTY_ANNOTATION;
}

/** `current` with `patch` applied; `null` clears an optional field. Tags and flags are de-duplicated. */
export function patchAnnotation(current: UtteranceAnnotation, patch: AnnotationPatch): UtteranceAnnotation {
  const next: UtteranceAnnotation = {
    tags: patch.tags ? unique(patch.tags.map((t) => t.trim()).filter(Boolean)) : current.tags,
    notes: patch.notes ?? current.notes,
    flags: patch.flags ? unique(patch.flags) : current.flags,
  };
  const correctedText = patch.correctedText === undefined ? current.correctedText : patch.correctedText;
  const trueEndS = patch.trueEndS === undefined ? current.trueEndS : patch.trueEndS;
  if (correctedText !== null && correctedText !== undefined) next.correctedText = correctedText;
  if (trueEndS !== null && trueEndS !== undefined) next.trueEndS = trueEndS;
  return next;
}

export function isEmptyAnnotation(a: UtteranceAnnotation): boolean {
  return a.correctedText === undefined && a.trueEndS === undefined && !a.tags.length && !a.notes && !a.flags.length;
}

/**
 * A new session with the utterance's annotation patched. An annotation that becomes empty
 * is dropped, so clearing everything leaves no trace in the file.
 */
export function annotate(session: Session, utteranceId: string, patch: AnnotationPatch, file = '(session)'): Session {
  if (!session.utterances.some((u) => u.id === utteranceId)) {
    throw new SessionError('unknown-utterance', file, `has no utterance "${utteranceId}" to annotate`);
  }
  const next = patchAnnotation(annotationOf(session, utteranceId), patch);
  const others = Object.entries(session.annotations).filter(([id]) => id !== utteranceId);
  const entries = isEmptyAnnotation(next) ? others : [...others, [utteranceId, next] as const];
  return { ...session, annotations: Object.fromEntries(entries) };
}

/**
 * The reference metrics should use: a corrected transcript replaces the data set's text
 * (so it changes WER), and a marked true end replaces the data set's end of speech (so it
 * changes endpoint latency).
 */
export function metricReference(utterance: SessionUtterance, annotation: UtteranceAnnotation): MetricReference {
  const text =
    annotation.correctedText !== undefined
      ? { text: annotation.correctedText, textSource: 'corrected' as const }
      : { text: utterance.text, textSource: utterance.text !== undefined ? ('dataset' as const) : ('none' as const) };
  const end =
    annotation.trueEndS !== undefined
      ? { speechEndS: annotation.trueEndS, endSource: 'marked' as const }
      : { speechEndS: utterance.speechEndS, endSource: utterance.speechEndS !== undefined ? ('dataset' as const) : ('none' as const) };
  return { ...text, ...end };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
