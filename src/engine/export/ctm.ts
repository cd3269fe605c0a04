import { FormatError } from './format-error';
import type { UtteranceTimeline } from './utterance-timeline';

/** One CTM line: `<file> <channel> <start> <duration> <word> [<confidence>]`. */
export interface CtmEntry {
  file: string;
  channel: string;
  startS: number;
  durationS: number;
  word: string;
  confidence?: number;
}

export function writeCtm(entries: readonly CtmEntry[]): string {
  return entries
    .map((e) => {
      const fields = [e.file, e.channel, e.startS.toFixed(3), e.durationS.toFixed(3), e.word];
      if (e.confidence !== undefined) fields.push(e.confidence.toFixed(4));
      return `${fields.join(' ')}\n`;
    })
    .join('');
}

/** Reads CTM; ";;" comment lines and blank lines are skipped. */
export function readCtm(text: string, file = 'ctm'): CtmEntry[] {
  const entries: CtmEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith(';;')) return;
    const f = line.split(/\s+/);
    if (f.length !== 5 && f.length !== 6) throw new FormatError(file, `expected 5 or 6 fields, found ${f.length}`, i + 1);
    const [name, channel, start, duration, word, confidence] = f;
    const entry: CtmEntry = { file: name, channel, startS: Number(start), durationS: Number(duration), word };
    if (!Number.isFinite(entry.startS) || !Number.isFinite(entry.durationS) || entry.durationS < 0) {
      throw new FormatError(file, 'start and duration must be numbers (duration ≥ 0)', i + 1);
    }
    if (confidence !== undefined) {
      entry.confidence = Number(confidence);
      if (!Number.isFinite(entry.confidence)) throw new FormatError(file, 'confidence must be a number', i + 1);
    }
    entries.push(entry);
  });
  return entries;
}

/** CTM lines of one utterance, named after its recording (times are in the recording), channel 1. */
export function ctmEntriesOf(timeline: UtteranceTimeline): CtmEntry[] {
  return timeline.words.map((w) => ({
    file: timeline.utterance.recordingId.replace(/\s+/g, '_'),
    channel: '1',
    startS: w.startS,
    durationS: w.endS - w.startS,
    word: w.label.replace(/\s+/g, '_'),
    confidence: w.confidence,
  }));
}
