import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audacityLabelsOf, readAudacityLabels, writeAudacityLabels } from '../../../src/engine/export/audacity-labels';
import { ctmEntriesOf, readCtm, writeCtm } from '../../../src/engine/export/ctm';
import { nemoPredictionsOf, readNemoPredictions, writeNemoPredictions } from '../../../src/engine/export/nemo-predictions';
import { utteranceTimeline } from '../../../src/engine/export/utterance-timeline';
import { annotate } from '../../../src/engine/session/annotations';
import { SessionError } from '../../../src/engine/session/session-error';
import { sampleSession } from '../session/session-fixtures';
import { expectGolden } from './golden';

const session = annotate(sampleSession(), 'a', { correctedText: 'hello world' });
const timeline = utteranceTimeline(session, session.utterances[0]);
const label = fc.string({ unit: 'grapheme' }).filter((s) => !/[\t\r\n]/.test(s));
const time = fc.integer({ min: 0, max: 10_000_000 }).map((us) => us / 1e6);

describe('Audacity labels', () => {
  it('writes words and point marks, and round-trips', () => {
    const text = audacityLabelsOf(timeline);
    expectGolden('utterance.audacity.txt', text);
    const back = readAudacityLabels(text);
    expect(back.map((l) => l.label)).toEqual(['hello', 'world', 'speech-end', 'final:final']);
    expect(writeAudacityLabels(back)).toBe(text);
  });

  it('round-trips arbitrary labels at microsecond precision', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(time, time, label), { maxLength: 8 }), (ls) => {
        const labels = ls.map(([a, b, l]) => ({ startS: Math.min(a, b), endS: Math.max(a, b), label: l }));
        expect(readAudacityLabels(writeAudacityLabels(labels))).toEqual(labels);
      }),
      { numRuns: 200 },
    );
  });

  it('skips frequency lines and reports bad lines with their number', () => {
    expect(readAudacityLabels('1.0\t2.0\thi\n\\\t100\t2000\n')).toEqual([{ startS: 1, endS: 2, label: 'hi' }]);
    expect(() => readAudacityLabels('1\t0\tx\n', 'l.txt')).toThrow(/l\.txt line 1/);
  });
});

describe('CTM', () => {
  it('writes one line per word with confidences, and round-trips', () => {
    const entries = ctmEntriesOf(timeline);
    const text = writeCtm(entries);
    expectGolden('session.ctm', text);
    const back = readCtm(text);
    expect(back.map((e) => e.word)).toEqual(['hello', 'world']);
    expect(writeCtm(back)).toBe(text);
  });

  it('round-trips arbitrary entries at millisecond precision', () => {
    const word = fc.stringMatching(/^[^\s;]{1,12}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(word, fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e4 }), fc.option(fc.integer({ min: 0, max: 1e4 }))), { maxLength: 8 }), (es) => {
        const entries = es.map(([w, s, d, c]) => ({ file: 'rec', channel: '1', startS: s / 1000, durationS: d / 1000, word: w, ...(c === null ? {} : { confidence: c / 1e4 }) }));
        expect(readCtm(writeCtm(entries))).toEqual(entries);
      }),
      { numRuns: 200 },
    );
  });

  it('skips comments and rejects short lines', () => {
    expect(readCtm(';; comment\nrec 1 0.5 0.2 hi\n')).toEqual([{ file: 'rec', channel: '1', startS: 0.5, durationS: 0.2, word: 'hi' }]);
    expect(() => readCtm('rec 1 0.5\n', 'x.ctm')).toThrow(SessionError);
  });
});

describe('NeMo JSONL with predictions', () => {
  it('writes the annotated reference and the prediction, and round-trips', () => {
    const lines = nemoPredictionsOf(session);
    expect(lines[0]).toMatchObject({ text: 'hello world', pred_text: 'hello world', duration: 1.2 });
    expect(lines[1]).toMatchObject({ offset: 0.5, duration: 1, pred_text: '' });
    const text = writeNemoPredictions(lines);
    expectGolden('predictions.jsonl', text);
    expect(readNemoPredictions(text)).toEqual(lines);
    expect(() => readNemoPredictions('{"audio_filepath":"a"}\n', 'p.jsonl')).toThrow(/p\.jsonl line 1/);
  });
});
