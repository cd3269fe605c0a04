import type { Session, SessionUtterance } from '../../shared/domain/session';
import { annotationOf, metricReference } from '../session/annotations';
import { tokensToSpans, tokensToWords, type TimedLabel, type TimedWord } from './word-timing';

/**
 * What the time-aligned exports show of one utterance, in seconds from the start of the
 * recording file (exports are opened next to the audio file, not the segment).
 */
export interface UtteranceTimeline {
  utterance: SessionUtterance;
  recordingPath: string;
  startS: number;
  endS: number;
  words: TimedWord[];
  tokens: TimedLabel[];
  /** Points: the reference (or marked) end of speech, speech start, and every end-pointer event. */
  marks: { timeS: number; label: string }[];
}

export function utteranceTimeline(session: Session, utterance: SessionUtterance): UtteranceTimeline {
  const recording = session.recordings.find((r) => r.id === utterance.recordingId);
  const offset = utterance.startS ?? 0;
  const decode = utterance.result?.kind === 'inline' ? utterance.result.decode : undefined;
  const best = decode?.nbest[0]?.tokens ?? [];
  const shift = decode?.trace.frameShiftS ?? 0.04;
  const words = tokensToWords(best, shift, offset);
  const tokens = tokensToSpans(best, shift, offset);

  const ref = metricReference(utterance, annotationOf(session, utterance.id));
  const marks: UtteranceTimeline['marks'] = [];
  if (utterance.speechStartS !== undefined) marks.push({ timeS: offset + utterance.speechStartS, label: 'speech-start' });
  if (ref.speechEndS !== undefined) marks.push({ timeS: offset + ref.speechEndS, label: ref.endSource === 'marked' ? 'true-end' : 'speech-end' });
  for (const e of utterance.endpoints) {
    for (const ev of e.events) marks.push({ timeS: offset + ev.timeS, label: `${e.detector}:${ev.type}` });
  }
  marks.sort((a, b) => a.timeS - b.timeS);

  const declaredEnd = utterance.endS ?? (decode ? offset + decode.stats.durationS : (recording?.durationS ?? offset));
  const latest = Math.max(declaredEnd, ...words.map((w) => w.endS), ...tokens.map((t) => t.endS), ...marks.map((m) => m.timeS));
  return { utterance, recordingPath: recording?.path ?? '', startS: offset, endS: latest > offset ? latest : offset + shift, words, tokens, marks };
}
