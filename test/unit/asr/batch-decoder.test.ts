/**
 * Several utterances per encoder call give each utterance the result it gets alone, on the real
 * fixtures: the icefall exports of every encoder type (float graphs) and the tiny Earshot model's
 * fp32 graphs, over the demo recordings, whose lengths differ, so streams leave the batch and
 * new ones join it mid-way.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeBatch, defaultBatchStreams, DEFAULT_BATCH_STREAMS } from '../../../src/engine/asr/batch-decoder';
import { decodeSamples } from '../../../src/engine/asr/decode-utterance';
import { resolveModelDir } from '../../../src/engine/asr/model-dir';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import type { DecodeResult } from '../../../src/shared/domain/decode';

const FIXTURES = join(__dirname, '../../fixtures');
const DEMO = join(__dirname, '../../../resources/demo');
const MODELS: [string, string, string?][] = [
  ['zipformer2', join(FIXTURES, 'models/zipformer2')],
  ['zipformer', join(FIXTURES, 'models/zipformer')],
  ['lstm', join(FIXTURES, 'models/lstm')],
  ['conformer', join(FIXTURES, 'models/conformer')],
  ['tiny Earshot model (fp32)', join(FIXTURES, 'tiny-model'), 'fp32'],
];

let audio: Float32Array[] = [];
beforeAll(async () => {
  const files = readdirSync(DEMO).filter((f) => f.endsWith('.wav')).sort();
  audio = await Promise.all(files.map(async (f) => (await decodeAudioFile(join(DEMO, f))).samples));
});

function expectSameResult(batched: DecodeResult, alone: DecodeResult): void {
  expect(batched.hyp).toBe(alone.hyp);
  const tokens = (r: DecodeResult) => r.nbest[0]?.tokens.map((t) => [t.id, t.frame]) ?? [];
  expect(tokens(batched)).toEqual(tokens(alone));
  expect(batched.nbest[0]?.score ?? 0).toBeCloseTo(alone.nbest[0]?.score ?? 0, 3);
  expect(batched.trace.numFrames).toBe(alone.trace.numFrames);
  expect(batched.partials.map((p) => p.text)).toEqual(alone.partials.map((p) => p.text));
}

describe.each(MODELS)('decodeBatch on the %s', (_name, dir, variant) => {
  it.each([
    ['greedy', { beam: 1, maxSymbolsPerFrame: 1 }],
    ['beam 4', { beam: 4 }],
  ] as const)('gives every utterance its one-at-a-time %s result, three streams per encoder call', (_label, options) => {
    const model = TransducerModel.load(dir, { variant });
    try {
      expect(model.batchesStreams).toBe(true);
      const utterances = [...audio, audio[0].subarray(0, 12000)];
      const alone = utterances.map((samples) => decodeSamples(model, samples, options));
      const finished: number[] = [];
      const batched = decodeBatch(
        model,
        utterances.map((samples) => ({ samples })),
        { ...options, streams: 3, onResult: (i) => finished.push(i) },
      );
      batched.forEach((r, i) => expectSameResult(r, alone[i]));
      expect([...finished].sort()).toEqual(utterances.map((_, i) => i));
    } finally {
      model.release();
    }
  });
});

describe('decodeBatch', () => {
  it("decodes each utterance with its own options where it brings them (its biasing list, its search)", () => {
    const model = TransducerModel.load(join(FIXTURES, 'tiny-model'), { variant: 'fp32' });
    try {
      const own = [{ beam: 4, context: [{ phrase: 'anna' }] }, { beam: 1, maxSymbolsPerFrame: 1 }, undefined];
      const shared = { beam: 2 };
      const batched = decodeBatch(
        model,
        audio.slice(0, 3).map((samples, i) => ({ samples, decoding: own[i] })),
        { ...shared, streams: 3 },
      );
      batched.forEach((r, i) => expectSameResult(r, decodeSamples(model, audio[i], own[i] ?? shared)));
      expect(batched[0].attention).toBeDefined();
      expect(batched[1].attention).toBeUndefined();
    } finally {
      model.release();
    }
  });

  it('batches data sets by default only where a batch leaves every result as it is alone', () => {
    const tiny = join(FIXTURES, 'tiny-model');
    // The int8 encoder quantises activations with one scale per call, so a batch would share it.
    expect(resolveModelDir(tiny, { variant: 'int8' }).batchSharesScale).toBe(true);
    expect(defaultBatchStreams(resolveModelDir(tiny, { variant: 'int8' }))).toBe(1);
    expect(resolveModelDir(tiny, { variant: 'fp32' }).batchSharesScale).toBe(false);
    expect(defaultBatchStreams(resolveModelDir(tiny, { variant: 'fp32' }))).toBe(DEFAULT_BATCH_STREAMS);
    expect(defaultBatchStreams(resolveModelDir(join(FIXTURES, 'models/zipformer2')))).toBe(DEFAULT_BATCH_STREAMS);
  });

  it('returns nothing for no utterances, and decodes one stream per call when asked to', () => {
    const model = TransducerModel.load(join(FIXTURES, 'models/lstm'));
    try {
      expect(decodeBatch(model, [])).toEqual([]);
      const one = decodeBatch(model, [{ samples: audio[1] }], { streams: 1, beam: 1 });
      expect(one[0].hyp).toBe(decodeSamples(model, audio[1], { beam: 1 }).hyp);
    } finally {
      model.release();
    }
  });
});
