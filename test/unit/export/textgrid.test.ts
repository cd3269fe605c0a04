import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intervalTier, readTextGrid, textGridOf, writeTextGrid, type TextGrid } from '../../../src/engine/export/textgrid';
import { utteranceTimeline } from '../../../src/engine/export/utterance-timeline';
import { annotate } from '../../../src/engine/session/annotations';
import { SessionError } from '../../../src/engine/session/session-error';
import { sampleSession } from '../session/session-fixtures';
import { expectGolden } from './golden';

describe('Praat TextGrid', () => {
  const session = annotate(sampleSession(), 'a', { trueEndS: 0.95 });
  const grid = textGridOf(utteranceTimeline(session, session.utterances[0]));

  it('has tiers words, tokens and endpoints that cover the utterance', () => {
    expect(grid.tiers.map((t) => t.name)).toEqual(['words', 'tokens', 'endpoints']);
    const words = grid.tiers[0];
    expect(words.kind === 'interval' && words.intervals.filter((i) => i.text).map((i) => i.text)).toEqual(['hello', 'world']);
    expect(grid.tiers[2].kind === 'point' && grid.tiers[2].points.map((p) => p.mark)).toEqual(['true-end', 'final:final']);
    expectGolden('utterance.TextGrid', writeTextGrid(grid));
  });

  it('round-trips', () => {
    expect(readTextGrid(writeTextGrid(grid))).toEqual(grid);
  });

  it('round-trips arbitrary tiers and labels (quotes, newlines, unicode)', () => {
    const label = fc.string({ unit: 'grapheme' });
    const spans = fc.array(fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), label), { maxLength: 8 });
    fc.assert(
      fc.property(spans, fc.array(fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), label), { maxLength: 5 }), (s, p) => {
        const g: TextGrid = {
          xmin: 0,
          xmax: 11,
          tiers: [
            intervalTier('w "q"', s.map(([start, len, text]) => ({ startS: start, endS: start + len, label: text })), 0, 11),
            { kind: 'point', name: 'p', xmin: 0, xmax: 11, points: p.map(([time, mark]) => ({ time, mark })) },
          ],
        };
        expect(readTextGrid(writeTextGrid(g))).toEqual(g);
      }),
      { numRuns: 200 },
    );
  });

  it('reads the short text format too, and rejects other files with a typed error', () => {
    const short = 'File type = "ooTextFile"\nObject class = "TextGrid"\n\n0\n2\n<exists>\n1\n"IntervalTier"\n"w"\n0\n2\n1\n0\n2\n"hi"\n';
    expect(readTextGrid(short)).toEqual({ xmin: 0, xmax: 2, tiers: [{ kind: 'interval', name: 'w', xmin: 0, xmax: 2, intervals: [{ xmin: 0, xmax: 2, text: 'hi' }] }] });
    expect(() => readTextGrid('hello', 'x.TextGrid')).toThrow(SessionError);
    expect(() => readTextGrid(short.slice(0, -6), 'x.TextGrid')).toThrow(/x\.TextGrid: ends before/);
  });
});
