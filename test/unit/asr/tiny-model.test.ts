/**
 * The tiny smoke-trained model against its torch reference (test/fixtures/tiny-model):
 * greedy decode, token for token and frame for frame, and the end-of-query head.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSamples } from '../../../src/engine/asr/decode-utterance';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';

const DIR = join(__dirname, '../../fixtures/tiny-model');

interface RefDecode {
  token_ids: number[];
  frames: number[];
  text: string;
}
interface RefUtterance {
  wav: string;
  encoder_frames: number;
  eoq_prob: number[];
  max_symbols_per_frame_1: RefDecode;
  max_symbols_per_frame_3: RefDecode;
}
const reference = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as { utterances: RefUtterance[] };

describe('tiny model against the torch reference', () => {
  let model: TransducerModel;
  beforeAll(async () => {
    model = TransducerModel.load(DIR, { variant: 'fp32' });
  });
  afterAll(() => model?.release());

  for (const utt of reference.utterances) {
    for (const maxSymbolsPerFrame of [1, 3]) {
      it(`greedy (max ${maxSymbolsPerFrame} symbols per frame) equals torch on ${utt.wav}`, async () => {
        const audio = await decodeAudioFile(join(DIR, utt.wav), { targetRate: 16000 });
        const r = decodeSamples(model, audio.samples, { beam: 1, maxSymbolsPerFrame });
        const ref = maxSymbolsPerFrame === 1 ? utt.max_symbols_per_frame_1 : utt.max_symbols_per_frame_3;
        const best = r.nbest[0];
        expect(best.tokens.map((t) => t.id)).toEqual(ref.token_ids);
        expect(best.tokens.map((t) => t.frame)).toEqual(ref.frames);
        expect(r.hyp).toBe(ref.text);
        expect(r.trace.numFrames).toBe(utt.encoder_frames);
      });
    }

    it(`end-of-query probabilities match torch on ${utt.wav}`, async () => {
      const audio = await decodeAudioFile(join(DIR, utt.wav), { targetRate: 16000 });
      const r = decodeSamples(model, audio.samples, { beam: 1 });
      expect(r.trace.eoqProb).toHaveLength(utt.eoq_prob.length);
      r.trace.eoqProb.forEach((p, i) => expect(p).toBeCloseTo(utt.eoq_prob[i], 3));
    });
  }
});
