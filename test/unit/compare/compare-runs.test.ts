import { describe, expect, it } from 'vitest';
import type { ComparisonInput } from '@shared/domain/compare';
import { compareRuns, compareUtterance } from '@engine/compare/compare-runs';
import { pairedBootstrap } from '@engine/compare/paired-bootstrap';
import { mulberry32 } from '@engine/metrics/seeded-random';

/** Three utterances small enough to score by hand (see each line's comment). */
const inputs: ComparisonInput[] = [
  // 4 words; A exact, B drops "on the" (2 deletions); A's final 0.3 s late, B's 0.1 s early (a cut-off).
  { id: 'u1', reference: { text: 'turn on the lights', speechEndS: 1 }, a: { hyp: 'turn on the lights', finalS: 1.3 }, b: { hyp: 'turn lights', finalS: 0.9 } },
  // 2 words; A substitutes one, B exact; A never fires (counted at the 20 s timeout), B 0.5 s late.
  { id: 'u2', reference: { text: 'Call Anna.', speechEndS: 2 }, a: { hyp: 'call hannah', finalS: null }, b: { hyp: 'call anna', finalS: 2.5 } },
  // 3 words; both drop "a"; no reference end.
  { id: 'u3', reference: { text: 'set a timer', speechEndS: null }, a: { hyp: 'set timer', finalS: 1 }, b: { hyp: 'set timer', finalS: 1.2 } },
];

/** A scripted random source: the indices it draws are floor(value × n). */
const scripted = (values: number[]): (() => number) => {
  let i = 0;
  return () => values[i++];
};

describe('mulberry32', () => {
  it('gives the published generator sequence for a seed (values from an independent Python implementation)', () => {
    const random = mulberry32(1);
    expect([random(), random(), random()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });
});

describe('pairedBootstrap', () => {
  it('interpolates the 2.5th and 97.5th percentiles of the resampled differences', () => {
    const a = [0, 1, 1];
    const b = [2, 0, 1];
    const w = [4, 2, 3];
    const stat = (idx: Int32Array): number => {
      let d = 0;
      let n = 0;
      for (const i of idx) {
        d += b[i] - a[i];
        n += w[i];
      }
      return (100 * d) / n;
    };
    // Resample 1 draws [0, 0, 0]: 100·6/12 = 50. Resample 2 draws [1, 2, 1]: 100·(1 − 3)/7 = −28.571.
    const result = pairedBootstrap(3, stat, 2, scripted([0, 0, 0, 0.5, 0.9, 0.4]));
    expect(result.diff).toBeCloseTo((100 * 1) / 9, 10);
    expect(result.ci[0]).toBeCloseTo(-200 / 7 + (50 + 200 / 7) * 0.025, 10);
    expect(result.ci[1]).toBeCloseTo(-200 / 7 + (50 + 200 / 7) * 0.975, 10);
    expect(result.shareAbove).toBe(0.5);
  });

  it('gives a zero-width interval when every item differs by the same amount', () => {
    const result = pairedBootstrap(5, () => 2.5, 200, mulberry32(7));
    expect(result).toEqual({ diff: 2.5, ci: [2.5, 2.5], shareAbove: 1 });
  });
});

describe('compareUtterance', () => {
  it('scores both hypotheses against the reference and counts the words B changed', () => {
    const row = compareUtterance(inputs[0]);
    expect(row).toMatchObject({ words: 4, errorsA: 0, errorsB: 2, werA: 0, werB: 50, wordsChanged: 2, verdict: 'worse', cutOffA: false, cutOffB: true, firedA: true, firedB: true });
    expect(row.latencyA).toBeCloseTo(0.3, 10);
    expect(row.latencyB).toBeCloseTo(-0.1, 10);
  });

  it('counts a no-fire at the 20 s timeout, as every end-pointer metric does', () => {
    const row = compareUtterance(inputs[1]);
    expect(row).toMatchObject({ verdict: 'better', firedA: false, latencyA: 18, latencyB: 0.5, cutOffA: false });
  });

  it('leaves WER unscored without a reference', () => {
    const row = compareUtterance({ id: 'x', reference: { text: null, speechEndS: null }, a: { hyp: 'a b', finalS: null }, b: { hyp: 'a c', finalS: null } });
    expect(row).toMatchObject({ words: 0, errorsA: null, werB: null, verdict: 'unscored', wordsChanged: 1, latencyA: null });
  });
});

describe('compareRuns', () => {
  const { rows, summary } = compareRuns(inputs, { resamples: 1000, seed: 3 });

  it('sums errors over words for the corpus WERs (2/9 against 3/9)', () => {
    expect(rows.map((r) => r.verdict)).toEqual(['worse', 'better', 'same']);
    expect(summary).toMatchObject({ utterances: 3, scored: 3, referenceWords: 9, better: 1, worse: 1, same: 1, changedUtterances: 2, wordsChanged: 3, resamples: 1000, seed: 3 });
    expect(summary.werA).toBeCloseTo(200 / 9, 10);
    expect(summary.werB).toBeCloseTo(300 / 9, 10);
    expect(summary.wer?.diff).toBeCloseTo(100 / 9, 10);
  });

  it('reaches the extremes a resample can give when each has more than 2.5 % chance', () => {
    // A resample of u1 three times gives +50 points, of u2 three times −50; each has chance 1/27 = 3.7 %.
    expect(summary.wer?.ci).toEqual([-50, 50]);
    expect(summary.wer?.shareAbove).toBeGreaterThan(0.5);
  });

  it('gives the p50 latency difference over utterances with a reference end', () => {
    // A: [0.3, 18] → 9.15; B: [−0.1, 0.5] → 0.2.
    expect(summary.latency).toMatchObject({ withReference: 2, cutOffsA: 0, cutOffsB: 1, noFiresA: 1, noFiresB: 0 });
    expect(summary.latency.p50A).toBeCloseTo(9.15, 10);
    expect(summary.latency.p50B).toBeCloseTo(0.2, 10);
    expect(summary.latency.p50Diff?.diff).toBeCloseTo(-8.95, 10);
  });

  it('gives the same intervals for the same seed and others for another', () => {
    expect(compareRuns(inputs, { resamples: 1000, seed: 3 }).summary).toEqual(summary);
    expect(compareRuns(inputs, { resamples: 1000, seed: 4 }).summary.wer?.shareAbove).not.toEqual(summary.wer?.shareAbove);
  });
});
