/** The whole streaming pipeline on the tiny model: beam search, n-best, lattice, traces, biasing. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSamples } from '../../../src/engine/asr/decode-utterance';
import { StreamDecoder } from '../../../src/engine/asr/stream-decoder';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import { NULL_WORD } from '../../../src/engine/lattice/lattice-recorder';
import { readSlf, writeSlf } from '../../../src/engine/lattice/slf';

const DIR = join(__dirname, '../../fixtures/tiny-model');

describe('stream decoder on the tiny model', () => {
  let model: TransducerModel;
  let samples: Float32Array;
  beforeAll(async () => {
    model = TransducerModel.load(DIR, { variant: 'fp32' });
    samples = (await decodeAudioFile(join(DIR, 'utt3.wav'), { targetRate: 16000 })).samples;
  });
  afterAll(() => model?.release());

  it('gives the same result however the audio is split into pieces', async () => {
    const whole = StreamDecoder.create(model, { beam: 4 });
    whole.acceptWaveform(samples);
    const a = whole.finish();
    const pieces = StreamDecoder.create(model, { beam: 4 });
    for (let at = 0; at < samples.length; at += 777) pieces.acceptWaveform(samples.subarray(at, at + 777));
    const b = pieces.finish();
    expect(b.nbest.map((h) => h.text)).toEqual(a.nbest.map((h) => h.text));
    expect(b.trace.blankProb).toEqual(a.trace.blankProb);
  });

  it('emits a partial result after every chunk, growing to the final text', async () => {
    const r = decodeSamples(model, samples, { beam: 4 });
    const numFbankFrames = Math.floor((samples.length + 80) / 160);
    expect(r.partials).toHaveLength(Math.ceil(numFbankFrames / 32));
    expect(r.partials.map((p) => p.chunkIndex)).toEqual(r.partials.map((_, i) => i));
    expect(r.partials.at(-1)!.numFrames).toBe(r.trace.numFrames);
    expect(r.partials[1].timeS).toBeCloseTo(16 * 0.04);
  });

  it("with finalChunk 'drop' decodes a chunk only when a frame follows it, as sherpa-onnx's IsReady", () => {
    // The tiny model's chunks are 32 fbank frames with no lookahead; n samples make floor((n + 80) / 160) frames.
    const chunks = (frames: number, finalChunk: 'drop' | 'pad'): number =>
      decodeSamples(model, samples.subarray(0, frames * 160 - 80), { beam: 1, finalChunk }).partials.length;
    expect(chunks(64, 'drop')).toBe(1);
    expect(chunks(65, 'drop')).toBe(2);
    expect(chunks(64, 'pad')).toBe(2);
  });

  it('returns a scored n-best list whose paths all lie in the lattice', async () => {
    const r = decodeSamples(model, samples, { beam: 4 });
    expect(r.nbest.length).toBeGreaterThan(1);
    for (const h of r.nbest) {
      expect(h.score).toBeCloseTo(h.acousticScore + h.biasScore, 9);
      for (let i = 1; i < h.tokens.length; i++) expect(h.tokens[i].frame).toBeGreaterThan(h.tokens[i - 1].frame);
    }
    const l = r.lattice;
    for (const h of r.nbest) {
      const words = h.text.split(' ').filter(Boolean);
      let nodes = [l.start];
      // A path's last word runs to the end; only an empty hypothesis has a null arc.
      for (const w of words.length > 0 ? words : [NULL_WORD]) nodes = l.arcs.filter((a) => nodes.includes(a.from) && a.word === w).map((a) => a.to);
      expect(nodes, h.text).toContain(l.end);
    }
    for (let t = 0; t < r.trace.numFrames; t++) {
      const cut = l.arcs.filter((a) => a.startFrame <= t && t < a.endFrame).reduce((s, a) => s + a.posterior, 0);
      expect(cut).toBeCloseTo(1, 6);
    }
    expect(r.stats.latticeBytes).toBe(Buffer.byteLength(writeSlf(l, 'utterance')));
    expect(readSlf(writeSlf(l)).arcs).toHaveLength(l.arcs.length);
    expect(r.stats.audioBytes).toBe(samples.length * 2);
  });

  it('fills every per-frame trace', async () => {
    const r = decodeSamples(model, samples, { beam: 1 });
    const t = r.trace;
    expect(t.frameShiftS).toBeCloseTo(0.04);
    for (const arr of [t.blankProb, t.bestToken, t.eoqProb, t.logEnergy, t.emitted]) expect(arr).toHaveLength(t.numFrames);
    expect(t.emitted.reduce((a, b) => a + b, 0)).toBe(r.nbest[0].tokens.length);
    expect(t.blankProb.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(Math.max(...t.logEnergy)).toBeGreaterThan(Math.min(...t.logEnergy));
  });

  it('runs the model attention biasing and returns its weights per frame', async () => {
    const r = decodeSamples(model, samples, { beam: 4, context: [{ phrase: 'siobhan' }, { phrase: 'the end' }] });
    const a = r.attention!;
    expect(a.entries).toEqual(['<no-bias>', 'siobhan', 'the end']);
    expect(a.numFrames).toBe(r.trace.numFrames);
    for (let f = 0; f < a.numFrames; f++) {
      const row = a.weights.slice(f * 3, f * 3 + 3);
      expect(row.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 5);
    }
    const off = decodeSamples(model, samples, { beam: 4, context: [{ phrase: 'siobhan' }], attentionBias: false });
    expect(off.attention).toBeUndefined();
  });

  it('reports shallow-fusion bonuses per token', async () => {
    const r = decodeSamples(model, samples, { beam: 4, context: [{ phrase: 'the', boost: 2 }], attentionBias: false });
    const best = r.nbest[0];
    expect(best.biasScore).toBeGreaterThan(0);
    expect(best.tokens.reduce((s, t) => s + t.biasBonus, 0)).toBeCloseTo(best.biasScore, 5);
  });

  it('decodes with the int8 graphs too', async () => {
    const int8 = TransducerModel.load(DIR, { variant: 'int8' });
    try {
      const r = decodeSamples(int8, samples, { beam: 1 });
      expect(r.hyp.length).toBeGreaterThan(0);
    } finally {
      int8.release();
    }
  });
});
