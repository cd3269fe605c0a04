/**
 * Earshot's extras work on every icefall-exported fixture, whatever its model_type: beam
 * search with an n-best list and a lattice, shallow fusion from a context list, the frame
 * trace, a partial result per chunk, and the blank-based end-pointer.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFromNames } from '../../../src/engine/bias/context-list';
import { decodeSamples } from '../../../src/engine/asr/decode-utterance';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import { firstEndpoint } from '../../../src/engine/endpoint/decide-endpoint';
import { sherpaDefaultPreset } from '../../../src/engine/endpoint/endpoint-config';

const MODELS = join(__dirname, '../../fixtures/models');
const DEMO = join(__dirname, '../../../resources/demo/timer-pause.wav');

describe.each(['zipformer2', 'zipformer', 'lstm', 'conformer'])('Earshot extras on the %s fixture', (modelType) => {
  let model: TransducerModel;
  let samples: Float32Array;
  beforeAll(async () => {
    model = TransducerModel.load(join(MODELS, modelType));
    const speech = (await decodeAudioFile(DEMO, { targetRate: 16000 })).samples;
    // Three seconds of silence after the utterance, for the end-pointer.
    samples = new Float32Array(speech.length + 48000);
    samples.set(speech);
  });
  afterAll(() => model?.release());

  it('gives an n-best list, a lattice, a frame trace and a partial per chunk', () => {
    const r = decodeSamples(model, samples, { beam: 4 });
    expect(r.nbest.length).toBeGreaterThan(1);
    expect(r.nbest.length).toBeLessThanOrEqual(4);
    expect(r.hyp).toBe(r.nbest[0].text);
    expect(r.lattice.arcs.length).toBeGreaterThan(0);
    expect(r.trace.blankProb).toHaveLength(r.trace.numFrames);
    expect(r.trace.numFrames).toBeGreaterThan(0);
    for (const p of r.trace.blankProb) expect(p).toBeGreaterThanOrEqual(0);
    for (const p of r.trace.blankProb) expect(p).toBeLessThanOrEqual(1);
    expect(r.trace.frameShiftS).toBeCloseTo(0.04);
    // No end-of-query head: no probabilities, rather than a NaN per frame that stalls the end-pointer.
    expect(r.trace.eoqProb).toEqual([]);
    expect(r.partials.length).toBeGreaterThanOrEqual(Math.floor(r.trace.numFrames / (model.spec.decodeChunkLen / 4)));
    expect(r.partials.at(-1)!.numFrames).toBe(r.trace.numFrames);
  });

  it('rewards a listed word the model says with shallow fusion', () => {
    const plain = decodeSamples(model, samples, { beam: 4 });
    const word = plain.hyp.split(' ').find((w) => w.length > 0);
    expect(word, 'the fixture decodes at least one word').toBeDefined();
    const biased = decodeSamples(model, samples, { beam: 4, context: contextFromNames([word!]), fusionBoost: 1.5 });
    expect(biased.nbest[0].biasScore).toBeGreaterThan(0);
    expect(biased.nbest[0].tokens.some((t) => t.biasBonus > 0)).toBe(true);
  });

  it('ends the utterance from blanks in the trailing silence (sherpa-onnx default rules)', () => {
    const r = decodeSamples(model, samples, { beam: 1 });
    const end = firstEndpoint(r.trace, sherpaDefaultPreset);
    expect(end).not.toBeNull();
    expect(end!.frame * r.trace.frameShiftS).toBeGreaterThan(1.2);
  });
});
