import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeFbank } from '../../../src/engine/features/fbank';
import type { FbankOptions } from '../../../src/engine/features/fbank-options';
import { StreamingFbank } from '../../../src/engine/features/streaming-fbank';
import { goldenSignal } from './golden';

function streamed(samples: Float32Array, cuts: number[], opts: Partial<FbankOptions>, popEvery = 1): Float32Array[] {
  const fbank = new StreamingFbank(opts);
  const frames: Float32Array[] = [];
  let at = 0;
  cuts.forEach((size, i) => {
    fbank.accept(samples.subarray(at, Math.min(samples.length, at + size)));
    at = Math.min(samples.length, at + size);
    if (i % popEvery === 0) frames.push(...fbank.popFrames());
  });
  fbank.accept(samples.subarray(at));
  fbank.inputFinished();
  frames.push(...fbank.popFrames());
  expect(fbank.numFramesReady).toBe(frames.length);
  return frames;
}

function expectSameFrames(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => expect(Array.from(row)).toEqual(Array.from(expected[i])));
}

const speech = goldenSignal('speech');

describe('StreamingFbank', () => {
  it.each([false, true])('gives exactly the batch frames for random chunkings (snipEdges %s)', (snipEdges) => {
    const batch = computeFbank(speech, { snipEdges });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 5 }), (cuts, popEvery) => {
        expectSameFrames(streamed(speech, cuts, { snipEdges }, popEvery), batch);
      }),
      { numRuns: 25 },
    );
  });

  it('gives the batch frames when fed one sample at a time', () => {
    const signal = speech.subarray(0, 3000);
    expectSameFrames(streamed(signal, new Array(3000).fill(1), {}), computeFbank(signal));
  });

  it('matches the batch path on signals of every short length, around the reflection edge cases', () => {
    for (let n = 0; n <= 700; n += 7) {
      const signal = speech.subarray(8000, 8000 + n);
      expectSameFrames(streamed(signal, [n >> 1], {}), computeFbank(signal));
    }
  });

  it('holds back the frames that mirror the end until inputFinished', () => {
    const fbank = new StreamingFbank();
    fbank.accept(speech.subarray(0, 16000));
    // 100 frames in a second; the last one reaches past the end, into its mirror image.
    expect(fbank.numFramesReady).toBe(99);
    fbank.inputFinished();
    expect(fbank.numFramesReady).toBe(100);
    expect(() => fbank.accept(new Float32Array(10))).toThrow(/after inputFinished/);
  });

  it('hands out overlapping chunks from its frame queue as the batch frames', () => {
    const batch = computeFbank(speech);
    const fbank = new StreamingFbank();
    const chunk = new Float32Array(9 * 80);
    let first = 0;
    for (let at = 0; at < speech.length; at += 1600) {
      fbank.accept(speech.subarray(at, at + 1600));
      while (fbank.numFramesQueued >= 9) {
        fbank.copyFrames(0, 9, chunk);
        for (let i = 0; i < 9; i++) expect(Array.from(chunk.subarray(i * 80, (i + 1) * 80))).toEqual(Array.from(batch[first + i]));
        fbank.dropFrames(4);
        first += 4;
      }
    }
    expect(first).toBeGreaterThan(batch.length - 20);
    expect(() => fbank.copyFrames(0, fbank.numFramesQueued + 1, chunk)).toThrow(/queued/);
  });

  it('keeps its buffer small on a long stream', () => {
    const fbank = new StreamingFbank();
    for (let i = 0; i < 200; i++) {
      fbank.accept(speech.subarray(0, 1600));
      fbank.dropFrames(fbank.numFramesQueued);
    }
    expect((fbank as unknown as { buffer: Float32Array }).buffer.length).toBeLessThan(4000);
    expect((fbank as unknown as { queue: Float32Array }).queue.length).toBeLessThan(100 * 80);
  });
});
