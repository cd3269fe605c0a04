/**
 * A model whose model.json names a token LM decodes with it by default: the beam's scores carry the LM's
 * terms, the result line writes them, and a weight of 0 decodes exactly as the model without an LM.
 * The shipped model's graphs with the fixture token LM (order 4, made by training/lm/token_ngram.py).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFile } from '../../../src/engine/asr/decode-utterance';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { toResultLine } from '../../../src/engine/dataset/result-line';
import { modelWithoutTokenLm, modelWithTokenLm } from './model-with-token-lm';

const root = join(__dirname, '..', '..', '..');
const shipped = join(root, 'resources', 'models', 'earshot-rnnt');
const work = mkdtempSync(join(tmpdir(), 'earshot-lm-decode-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const audio = join(root, 'resources', 'demo', 'message-priya.wav');

describe('decoding with the token LM a model names', () => {
  const plain = TransducerModel.load(modelWithoutTokenLm(shipped, join(work, 'without-lm')), { variant: 'int8' });
  const fused = TransducerModel.load(modelWithTokenLm(shipped, join(work, 'with-lm'), { weight: 0.5, token_bonus: 0.5 }), { variant: 'int8' });

  it('fuses it by default, and every n-best entry scores acoustics + bias + LM terms', async () => {
    const result = await decodeFile(fused, audio);
    expect(result.nbest.length).toBeGreaterThan(1);
    for (const h of result.nbest) {
      expect(h.lmScore).toBeLessThan(0);
      expect(h.score).toBeCloseTo(h.acousticScore + h.biasScore + (h.lmScore ?? 0), 6);
    }
    const line = toResultLine('message-priya.wav', undefined, undefined, result);
    expect(line.nbest[0].token_lm_score).toBeCloseTo(result.nbest[0].lmScore ?? NaN, 3);
  });

  it('at weight 0 decodes as the same graphs without an LM', async () => {
    const off = await decodeFile(fused, audio, { lmWeight: 0 });
    const without = await decodeFile(plain, audio);
    expect(off.nbest.map((h) => [h.text, h.score])).toEqual(without.nbest.map((h) => [h.text, h.score]));
    expect(off.nbest.every((h) => h.lmScore === undefined)).toBe(true);
    expect(toResultLine('message-priya.wav', undefined, undefined, off).nbest[0]).not.toHaveProperty('token_lm_score');
  });

  it('refuses to fuse an LM the model does not have', async () => {
    await expect(decodeFile(plain, audio, { lmWeight: 0.5 })).rejects.toThrow(/has no token LM to fuse/);
  });
});
