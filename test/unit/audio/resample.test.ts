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

describe('createResampler above libsamplerate’s 192 kHz', () => {
  it.each([192_001, 352_800, 384_000, 768_000])('takes %i Hz (the limits allow up to 768 kHz) to 16 kHz, keeping a 1 kHz tone and the length', async (rate) => {
    const input = Float32Array.from(tone(1000, rate, 0.5, 0.25));
    const out = await resample(input, rate, 16000);
    expect(Math.abs(out.length - (input.length * 16000) / rate)).toBeLessThanOrEqual(1);
    // Away from the edges, the tone is there at its amplitude and in phase with the input.
    for (const i of [1000, 2000, 4000, 6000]) expect(out[i]).toBeCloseTo(0.5 * Math.sin((2 * Math.PI * 1000 * i) / 16000), 1);
  });

  it('rejects a tone above the new band instead of folding it into speech', async () => {
    const rate = 768_000;
    const out = await resample(Float32Array.from(tone(190_000, rate, 0.5, 0.25)), rate, 16000);
    const rms = Math.sqrt(out.subarray(800, 7200).reduce((s, v) => s + v * v, 0) / 6400);
    expect(rms).toBeLessThan(0.001);
  });

  it('gives the same output however the input is chunked', async () => {
    const rate = 384_000;
    const input = Float32Array.from(tone(440, rate, 0.5, 0.1));
    const whole = await resample(input, rate, 16000);
    const r = await createResampler(rate, 16000);
    const parts = [...r.process(input.subarray(0, 777)), ...r.process(input.subarray(777, 20_000)), ...r.process(input.subarray(20_000)), ...r.flush()];
    expect(parts.length).toBe(whole.length);
    parts.forEach((v, i) => expect(v).toBeCloseTo(whole[i], 5));
  });
});
