/**
 * A live stream asks for the lattice after every chunk; asking must not change what the stream
 * records, so the final lattice is the one a decode that never asked makes.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { StreamDecoder } from '../../../src/engine/asr/stream-decoder';
import { decodeSamples } from '../../../src/engine/asr/decode-utterance';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';

const ROOT = join(__dirname, '../../..');
let model: TransducerModel;
let samples: Float32Array;

beforeAll(async () => {
  model = TransducerModel.load(join(ROOT, 'resources/models/earshot-rnnt'), { variant: 'int8', intraOpNumThreads: 1 });
  samples = (await decodeAudioFile(join(ROOT, 'resources/demo/message-priya.wav'), { targetRate: 16000 })).samples;
});
afterAll(() => model?.release());

it('gives the same final lattice whether or not snapshots were taken on the way', () => {
  const options = { beam: 4 };
  const untouched = decodeSamples(model, samples, options);
  const watched = StreamDecoder.create(model, options);
  for (let at = 0; at < samples.length; at += 1600) {
    watched.acceptWaveform(samples.subarray(at, Math.min(samples.length, at + 1600)));
    watched.snapshot();
  }
  const final = watched.finish();
  expect(final.hyp).toBe(untouched.hyp);
  expect(final.lattice).toEqual(untouched.lattice);
  expect(final.lattice.arcs.length).toBeGreaterThan(untouched.nbest.length);
});
