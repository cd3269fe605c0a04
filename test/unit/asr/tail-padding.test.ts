/** Tail padding: silence fed after the input so the last frames reach the search, while results end with the audio. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSamples } from '../../../src/engine/asr/decode-utterance';
import { attentionWithinInput, latticeWithinInput, tokensWithinInput } from '../../../src/engine/asr/tail-padding';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import type { DecodeResult, Lattice } from '../../../src/shared/domain/decode';

const DIR = join(__dirname, '../../fixtures/tiny-model');
const PADDING_S = 0.5;

const lastTokenTime = (r: DecodeResult): number => Math.max(...r.nbest.flatMap((h) => h.tokens.map((t) => t.timeS)));
const lastNodeTime = (r: DecodeResult): number => Math.max(...r.lattice.nodes.map((n) => n.timeS));

describe('tail padding on the tiny model', () => {
  let model: TransducerModel;
  let samples: Float32Array;
  let padded: DecodeResult;
  let zerosAppended: DecodeResult;
  let unpadded: DecodeResult;
  beforeAll(async () => {
    model = TransducerModel.load(DIR, { variant: 'fp32' });
    samples = (await decodeAudioFile(join(DIR, 'utt3.wav'), { targetRate: 16000 })).samples;
    const withZeros = new Float32Array(samples.length + PADDING_S * 16000);
    withZeros.set(samples);
    const options = { beam: 4, context: [{ phrase: 'yes' }] };
    padded = decodeSamples(model, samples, { ...options, tailPaddingS: PADDING_S });
    zerosAppended = decodeSamples(model, withZeros, { ...options, tailPaddingS: 0 });
    unpadded = decodeSamples(model, samples, { ...options, tailPaddingS: 0 });
  });
  afterAll(() => model?.release());

  it('searches what the same audio followed by that much silence gives', () => {
    expect(padded.nbest.map((h) => h.text)).toEqual(zerosAppended.nbest.map((h) => h.text));
    expect(padded.nbest.map((h) => h.score)).toEqual(zerosAppended.nbest.map((h) => h.score));
  });

  it('reports the input alone: its frames, duration and attention rows', () => {
    expect(padded.trace.numFrames).toBe(unpadded.trace.numFrames);
    expect(padded.trace.numFrames).toBeLessThan(zerosAppended.trace.numFrames);
    expect(padded.trace.blankProb).toEqual(zerosAppended.trace.blankProb.slice(0, padded.trace.numFrames));
    expect(padded.trace.eoqProb).toHaveLength(padded.trace.numFrames);
    expect(padded.stats.durationS).toBe(unpadded.stats.durationS);
    expect(padded.attention?.numFrames).toBe(padded.trace.numFrames);
    expect(padded.partials.at(-1)!.numFrames).toBe(padded.trace.numFrames);
  });

  it('puts what is emitted in the padding on the last frame of the input, and ends the lattice with the input', () => {
    const { numFrames, frameShiftS } = padded.trace;
    expect(lastTokenTime(padded)).toBeLessThanOrEqual((numFrames - 1) * frameShiftS + 1e-9);
    expect(lastTokenTime(zerosAppended)).toBeGreaterThan((numFrames - 1) * frameShiftS);
    expect(lastNodeTime(padded)).toBeCloseTo(numFrames * frameShiftS, 9);
  });
});

describe('keeping results within the input', () => {
  it('moves token frames past the input onto its last frame and leaves the others', () => {
    const tokens = [{ frame: 3 }, { frame: 9 }, { frame: 12 }];
    expect(tokensWithinInput(tokens, 10)).toEqual([{ frame: 3 }, { frame: 9 }, { frame: 9 }]);
    expect(tokensWithinInput(tokens, 20)[2]).toBe(tokens[2]);
  });

  it('moves lattice nodes and arc ends past the input onto its end', () => {
    const lattice: Lattice = {
      frameShiftS: 0.04,
      start: 0,
      end: 2,
      nodes: [
        { id: 0, frame: 0, timeS: 0 },
        { id: 1, frame: 8, timeS: 0.32 },
        { id: 2, frame: 14, timeS: 0.56 },
      ],
      arcs: [
        { from: 0, to: 1, word: 'call', startFrame: 0, endFrame: 8, acousticScore: -1, biasScore: 0, posterior: 1 },
        { from: 1, to: 2, word: 'anna', startFrame: 11, endFrame: 14, acousticScore: -1, biasScore: 0, posterior: 1 },
      ],
    };
    const within = latticeWithinInput(lattice, 10);
    expect(within.nodes.map((n) => [n.frame, n.timeS])).toEqual([
      [0, 0],
      [8, 0.32],
      [10, 10 * 0.04],
    ]);
    expect(within.arcs.map((a) => [a.startFrame, a.endFrame])).toEqual([
      [0, 8],
      [10, 10],
    ]);
    expect(latticeWithinInput(lattice, 14)).toBe(lattice);
  });

  it('keeps the attention rows of the input frames', () => {
    const trace = { entries: ['<no-bias>', 'anna'], numFrames: 3, weights: [1, 0, 0.5, 0.5, 0.2, 0.8] };
    expect(attentionWithinInput(trace, 2)).toEqual({ ...trace, numFrames: 2, weights: [1, 0, 0.5, 0.5] });
  });
});
