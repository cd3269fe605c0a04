import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downmix } from '../../../src/engine/audio/downmix';
import { createResampler, resample } from '../../../src/engine/audio/resample';
import { tone } from './make-wav';

describe('createResampler', () => {
  const input = Float32Array.from(tone(1000, 44100, 0.5, 0.5));

  it('gives round(n × ratio) samples in total', async () => {
    expect((await resample(input, 44100, 16000)).length).toBe(Math.round((input.length * 16000) / 44100));
    expect((await resample(input.subarray(0, 8000), 8000, 16000)).length).toBe(16000);
  });

  it('gives the same output however the input is chunked', async () => {
    const whole = await resample(input, 44100, 16000);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 6000 }), { maxLength: 12 }), async (cuts) => {
        const r = await createResampler(44100, 16000);
        const parts: number[] = [];
        let at = 0;
        for (const size of cuts) {
          parts.push(...r.process(input.subarray(at, Math.min(input.length, at + size))));
          at = Math.min(input.length, at + size);
        }
        parts.push(...r.process(input.subarray(at)), ...r.flush());
        expect(parts.length).toBe(whole.length);
        parts.forEach((v, i) => expect(v).toBeCloseTo(whole[i], 5));
      }),
      { numRuns: 10 },
    );
  });

  it('returns the input untouched when the rates are equal', async () => {
    expect(await resample(input, 16000, 16000)).toBe(input);
  });
});

describe('downmix', () => {
  it('averages channels, or picks one', () => {
    const a = Float32Array.of(1, 0.5);
    const b = Float32Array.of(0, -0.5);
    expect(Array.from(downmix([a, b], 'mix'))).toEqual([0.5, 0]);
    expect(downmix([a, b], 1)).toBe(b);
    expect(downmix([a], 'mix')).toBe(a);
  });
});
