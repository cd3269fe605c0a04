/**
 * The WebAssembly fbank kernel (src/engine/features/wasm) against a direct DFT: with a
 * rectangular window, no pre-emphasis and no DC removal, the mel energies are the signal's
 * power spectrum through the mel filters, for FFT sizes whose stages pair up and sizes that
 * need a closing radix-2 stage.
 */
import { describe, expect, it } from 'vitest';
import { computeFbank } from '../../../src/engine/features/fbank';
import { frameStart, resolveFbankOptions, type FbankOptions } from '../../../src/engine/features/fbank-options';
import { melBanks } from '../../../src/engine/features/mel-banks';
import { StreamingFbank } from '../../../src/engine/features/streaming-fbank';
import { goldenSignal } from './golden';

function dftPower(x: Float64Array, size: number): Float64Array {
  const out = new Float64Array(size / 2 + 1);
  for (let k = 0; k <= size / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < x.length; t++) {
      re += x[t] * Math.cos((2 * Math.PI * k * t) / size);
      im -= x[t] * Math.sin((2 * Math.PI * k * t) / size);
    }
    out[k] = re * re + im * im;
  }
  return out;
}

const plain: Partial<FbankOptions> = { windowType: 'rectangular', preemphasisCoefficient: 0, removeDcOffset: false, useLogFbank: false, snipEdges: true, numMelBins: 10, lowFreq: 0, highFreq: 0 };
const signal = Float32Array.from({ length: 8000 }, (_, i) => Math.sin(i * 0.37) + 0.5 * Math.cos(i * 1.91) + ((i * 7919) % 13) / 13 - 0.5);

describe('fbank kernel (WebAssembly, SIMD)', () => {
  it.each([
    [8000, 4, 32],
    [16000, 4, 64],
    [8000, 10, 128],
    [8000, 25, 256],
    [16000, 25, 512],
    [16000, 50, 1024],
    [16000, 100, 2048],
  ])('gives the DFT power through the mel filters (%i Hz, %i ms: FFT size %i)', (sampleFrequency, frameLength, size) => {
    const opts = { ...plain, sampleFrequency, frameLength, frameShift: frameLength };
    const g = resolveFbankOptions(opts);
    expect(g.paddedSize).toBe(size);
    const banks = melBanks(g.numMelBins, size, sampleFrequency, g.lowFreq, g.highFreq);
    const frames = computeFbank(signal, opts);
    for (const i of [0, frames.length - 1]) {
      const start = frameStart(i, g);
      const power = dftPower(Float64Array.from(signal.subarray(start, start + g.windowSize)), size);
      for (let m = 0; m < g.numMelBins; m++) {
        let expected = 0;
        for (let k = 0; k < banks.width[m]; k++) expected += banks.weights[banks.offset[m] + k] * power[banks.first[m] + k];
        expect(Math.abs(frames[i][m] - expected)).toBeLessThanOrEqual(1e-6 * expected + 1e-9);
      }
    }
  });

  it('takes the magnitude instead of the power with usePower false', () => {
    const opts = { ...plain, sampleFrequency: 16000, frameLength: 25, frameShift: 25 };
    const g = resolveFbankOptions(opts);
    const power = computeFbank(signal, opts)[0];
    const magnitude = computeFbank(signal, { ...opts, usePower: false })[0];
    const banks = melBanks(g.numMelBins, g.paddedSize, 16000, 0, 0);
    const spectrum = dftPower(Float64Array.from(signal.subarray(0, g.windowSize)), g.paddedSize).map(Math.sqrt);
    const m = 4;
    let expected = 0;
    for (let k = 0; k < banks.width[m]; k++) expected += banks.weights[banks.offset[m] + k] * spectrum[banks.first[m] + k];
    expect(magnitude[m]).toBeCloseTo(expected, 4);
    expect(magnitude[m]).not.toBeCloseTo(power[m], 1);
  });

  it('keeps a kernel per set of options: frames at a 5 ms shift interleave those at 10 ms', () => {
    const speech = goldenSignal('speech');
    const every10 = computeFbank(speech, { snipEdges: true });
    const every5 = computeFbank(speech, { snipEdges: true, frameShift: 5 });
    expect(every5.length).toBeGreaterThan(2 * every10.length - 3);
    every10.forEach((frame, i) => expect(Array.from(every5[2 * i])).toEqual(Array.from(frame)));
  });

  it('serves extractors with the same options side by side, frame for frame', () => {
    const speech = goldenSignal('speech');
    const signals = [speech.subarray(0, 20000), speech.subarray(4000, 24000)];
    const extractors = signals.map(() => new StreamingFbank());
    const frames: Float32Array[][] = [[], []];
    for (let at = 0; at < 20000; at += 1600) {
      extractors.forEach((e, i) => {
        e.accept(signals[i].subarray(at, at + 1600));
        frames[i].push(...e.popFrames());
      });
    }
    extractors.forEach((e, i) => {
      e.inputFinished();
      frames[i].push(...e.popFrames());
      expect(frames[i].map((f) => Array.from(f))).toEqual(computeFbank(signals[i]).map((f) => Array.from(f)));
    });
  });
});
