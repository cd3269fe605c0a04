import { describe, expect, it } from 'vitest';
import { computeFbank } from '../../../src/engine/features/fbank';
import { goldenCases, goldenFeatures, goldenSignal } from './golden';

describe('computeFbank against torchaudio.compliance.kaldi.fbank goldens', () => {
  it.each(goldenCases().map((c) => [`${c.signal} (${c.config})`, c] as const))(
    'matches %s within 1e-3 in every bin',
    (_label, c) => {
      const frames = computeFbank(goldenSignal(c.signal), c.options);
      const expected = goldenFeatures(c);
      expect(frames.length).toBe(c.frames);
      let worst = 0;
      let where = '';
      frames.forEach((row, i) => {
        expect(row.length).toBe(c.dim);
        for (let k = 0; k < c.dim; k++) {
          const d = Math.abs(row[k] - expected[i * c.dim + k]);
          if (!(d <= worst)) {
            worst = d;
            where = `frame ${i} bin ${k}: ${row[k]} vs ${expected[i * c.dim + k]}`;
          }
        }
      });
      expect(worst, where).toBeLessThanOrEqual(1e-3);
    },
  );
});
