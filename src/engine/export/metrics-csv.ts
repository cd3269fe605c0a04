import type { Session } from '../../shared/domain/session';
import { utteranceMetrics } from '../session/utterance-metrics';
import { writeCsv } from './csv';

const num = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));

/**
 * One row per utterance: word errors against the annotated reference, the reference end and,
 * per end-pointer (columns `<detector>_end_s`, `<detector>_latency_s`), when it fired and how late.
 */
export function metricsCsv(session: Session): string {
  const rows = utteranceMetrics(session);
  const detectors = [...new Set(rows.flatMap((r) => r.endpoints.map((e) => e.detector)))].sort();
  const header = [
    'utterance_id', 'recording_id', 'audio', 'reference_source', 'reference', 'hypothesis',
    'reference_words', 'substitutions', 'deletions', 'insertions', 'wer',
    'reference_end_source', 'reference_end_s',
    ...detectors.flatMap((d) => [`${d}_end_s`, `${d}_latency_s`]),
    'tags', 'flags',
  ];
  const body = rows.map((r) => {
    const byDetector = new Map(r.endpoints.map((e) => [e.detector, e]));
    return [
      r.utteranceId, r.recordingId, r.audio, r.textSource, r.referenceText ?? '', r.hypothesis ?? '',
      num(r.errors?.referenceWords), num(r.errors?.substitutions), num(r.errors?.deletions), num(r.errors?.insertions), num(r.errors?.wer),
      r.endSource, num(r.referenceEndS),
      ...detectors.flatMap((d) => [num(byDetector.get(d)?.endS), num(byDetector.get(d)?.latencyS)]),
      r.tags.join(';'), r.flags.join(';'),
    ];
  });
  return writeCsv([header, ...body]);
}
