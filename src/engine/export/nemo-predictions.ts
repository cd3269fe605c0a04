import { z } from 'zod';
import type { Session } from '../../shared/domain/session';
import { annotationOf, metricReference } from '../session/annotations';
import { describeIssues } from '../session/describe-issues';
import { jsonProblem } from '../session/json-problem';
import { FormatError } from './format-error';

/** A NeMo manifest line with the model's prediction, as NeMo's transcribe scripts write it. */
export interface NemoPrediction {
  audio_filepath: string;
  duration: number;
  offset?: number;
  /** The reference, with a corrected transcript applied. */
  text: string;
  pred_text: string;
}

const lineSchema = z.looseObject({
  audio_filepath: z.string().min(1),
  duration: z.number().finite().nonnegative(),
  offset: z.number().finite().nonnegative().optional(),
  text: z.string(),
  pred_text: z.string(),
});

export function nemoPredictionsOf(session: Session): NemoPrediction[] {
  return session.utterances.map((u) => {
    const recording = session.recordings.find((r) => r.id === u.recordingId);
    const start = u.startS ?? 0;
    const duration = (u.endS ?? recording?.durationS ?? start) - start;
    const ref = metricReference(u, annotationOf(session, u.id));
    return {
      audio_filepath: recording?.path ?? '',
      duration: Math.max(0, duration),
      ...(u.startS !== undefined ? { offset: u.startS } : {}),
      text: ref.text ?? '',
      pred_text: u.result?.kind === 'inline' ? u.result.decode.hyp : '',
    };
  });
}

export function writeNemoPredictions(lines: readonly NemoPrediction[]): string {
  return lines.map((l) => `${JSON.stringify(l)}\n`).join('');
}

export function readNemoPredictions(text: string, file = 'manifest'): NemoPrediction[] {
  const out: NemoPrediction[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch (err) {
      throw new FormatError(file, jsonProblem(err, raw), i + 1);
    }
    const parsed = lineSchema.safeParse(doc);
    if (!parsed.success) throw new FormatError(file, describeIssues(parsed.error), i + 1);
    const { audio_filepath, duration, offset, text: ref, pred_text } = parsed.data;
    out.push({ audio_filepath, duration, ...(offset !== undefined ? { offset } : {}), text: ref, pred_text });
  });
  return out;
}
