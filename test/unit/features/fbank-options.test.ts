import { describe, expect, it } from 'vitest';
import { computeFbank, FLOAT32_EPSILON } from '../../../src/engine/features/fbank';
import { DEFAULT_FBANK_OPTIONS, numFrames, resolveFbankOptions } from '../../../src/engine/features/fbank-options';
import { melBanks } from '../../../src/engine/features/mel-banks';

describe('fbank options', () => {
  it('defaults to the trainer\'s (and sherpa-onnx\'s) Kaldi options', () => {
    expect(DEFAULT_FBANK_OPTIONS).toMatchObject({
      sampleFrequency: 16000,
      numMelBins: 80,
      frameLength: 25,
      frameShift: 10,
      windowType: 'povey',
      preemphasisCoefficient: 0.97,
      removeDcOffset: true,
      dither: 0,
      lowFreq: 20,
      highFreq: -400,
      snipEdges: false,
      energyFloor: 0,
      useEnergy: false,
    });
    expect(resolveFbankOptions()).toMatchObject({ windowSize: 400, windowShift: 160, paddedSize: 512, frameDim: 80 });
  });

  it('counts frames as Kaldi does', () => {
    const g = resolveFbankOptions();
    expect([0, 79, 80, 239, 240, 16000].map((n) => numFrames(n, g))).toEqual([0, 0, 1, 1, 2, 100]);
    const snip = resolveFbankOptions({ snipEdges: true });
    expect([399, 400, 559, 560, 16000].map((n) => numFrames(n, snip))).toEqual([0, 1, 1, 2, 98]);
  });

  it('refuses impossible combinations', () => {
    expect(() => resolveFbankOptions({ highFreq: 9000 })).toThrow(/Nyquist/);
    expect(() => resolveFbankOptions({ lowFreq: 7700 })).toThrow(/lowFreq < highFreq/);
    expect(() => resolveFbankOptions({ numMelBins: 2 })).toThrow(/numMelBins/);
    expect(() => resolveFbankOptions({ frameLength: 0.1 })).toThrow(/too small/);
  });

  it('floors silence at log(float32 epsilon) and gives no frames for no samples', () => {
    expect(computeFbank(new Float32Array(0))).toEqual([]);
    const frames = computeFbank(new Float32Array(1600));
    expect(frames).toHaveLength(10);
    expect(frames[3].every((v) => v === Math.fround(Math.log(FLOAT32_EPSILON)))).toBe(true);
  });

  it('prepends log energy with useEnergy', () => {
    const frames = computeFbank(Float32Array.from({ length: 1600 }, (_, i) => Math.sin(i)), { useEnergy: true });
    expect(frames[0]).toHaveLength(81);
  });

  it('dithers deterministically', () => {
    const a = computeFbank(new Float32Array(1600), { dither: 1e-3 });
    const b = computeFbank(new Float32Array(1600), { dither: 1e-3 });
    expect(a).toEqual(b);
    expect(a[2][0]).toBeGreaterThan(Math.log(FLOAT32_EPSILON));
  });

  it('builds sparse triangular mel filters that cover the band', () => {
    const banks = melBanks(80, 512, 16000, 20, -400);
    expect(banks.first[0]).toBeGreaterThanOrEqual(1);
    expect(banks.first[79] + banks.width[79]).toBeLessThanOrEqual(Math.ceil(7600 / 31.25) + 1);
    expect(Math.max(...banks.weights)).toBeLessThanOrEqual(1);
  });
});
