import { FormatError } from './format-error';
import type { TimedLabel } from './word-timing';
import type { UtteranceTimeline } from './utterance-timeline';

/**
 * Audacity label track text: "start<TAB>end<TAB>label" per line, times in seconds with six
 * decimals as Audacity writes them; a point label has start = end.
 */
export function writeAudacityLabels(labels: readonly TimedLabel[]): string {
  return labels.map((l) => `${l.startS.toFixed(6)}\t${l.endS.toFixed(6)}\t${l.label.replace(/[\t\r\n]+/g, ' ')}\n`).join('');
}

/** Reads a label track; lines starting with "\" (Audacity's frequency ranges) are skipped. */
export function readAudacityLabels(text: string, file = 'labels'): TimedLabel[] {
  const labels: TimedLabel[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || line.startsWith('\\')) return;
    const [start, end, ...rest] = line.split('\t');
    const startS = Number(start);
    const endS = end === undefined ? startS : Number(end);
    if (start.trim() === '' || !Number.isFinite(startS) || !Number.isFinite(endS) || endS < startS) {
      throw new FormatError(file, 'expected "start<TAB>end<TAB>label" with end ≥ start', i + 1);
    }
    labels.push({ startS, endS, label: rest.join('\t') });
  });
  return labels;
}

/** One track per utterance: its words, then the end-of-speech and end-pointer marks as point labels. */
export function audacityLabelsOf(timeline: UtteranceTimeline): string {
  const points = timeline.marks.map((m) => ({ startS: m.timeS, endS: m.timeS, label: m.label }));
  return writeAudacityLabels([...timeline.words, ...points].sort((a, b) => a.startS - b.startS));
}
