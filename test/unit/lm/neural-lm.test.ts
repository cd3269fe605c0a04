import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLanguageModel } from '../../../src/engine/lm/load-language-model';
import { readWordPieces, wordPieceIds } from '../../../src/engine/lm/word-pieces';
import { sentenceLogProb } from '../../../src/engine/lm/language-model';

// The small model that training/lm/train.py --size small writes, with scores its torch step model gave.
const dir = join(__dirname, '..', '..', 'fixtures', 'lm', 'cloud-lm-small');
const golden = JSON.parse(readFileSync(join(dir, 'golden.json'), 'utf8')) as { text: string; ids: number[]; log_prob: number }[];

describe('the cloud language model through onnxruntime', () => {
  it('splits words into the pieces SentencePiece chose in training', () => {
    const table = readWordPieces(readFileSync(join(dir, 'tokenizer.vocab'), 'utf8'), 0);
    for (const g of golden) expect(g.text.split(' ').flatMap((w) => wordPieceIds(table, w)), g.text).toEqual(g.ids);
  });

  it('gives each sentence the log-probability the torch model gave it', async () => {
    const lm = loadLanguageModel(dir);
    try {
      expect(lm.kind).toBe('neural');
      const scores = await lm.scoreWords(golden.map((g) => g.text.split(' ')));
      golden.forEach((g, i) => {
        expect(scores[i]).toHaveLength(g.text.split(' ').length + 1);
        expect(sentenceLogProb(scores[i])).toBeCloseTo(g.log_prob, 3);
      });
    } finally {
      lm.release();
    }
  });

  it('scores a sentence the same alone and beside others that share its beginning', async () => {
    const lm = loadLanguageModel(dir);
    try {
      const [alone] = await lm.scoreWords([['turn', 'on', 'the', 'lights']]);
      const together = await lm.scoreWords([['turn', 'on', 'the', 'kitchen'], ['turn', 'on', 'the', 'lights'], ['turn', 'off']]);
      together[1].forEach((s, i) => expect(s).toBeCloseTo(alone[i], 5));
      // A shared prefix scores the same in every sentence that has it.
      expect(together[0][0]).toBeCloseTo(together[2][0], 6);
    } finally {
      lm.release();
    }
  });

  it('refuses a folder that is not a language model, naming what is missing', () => {
    expect(() => loadLanguageModel(join(__dirname, '..', '..', 'fixtures', 'tiny-model'))).toThrow(/is not a language model folder \(it has no lm\.json/);
    expect(() => loadLanguageModel(join(dir, 'golden.json'))).toThrow(/is not a language model: give a folder with lm\.json or an ARPA file/);
    expect(() => loadLanguageModel(join(dir, 'nothing-here'))).toThrow(/no such file or folder/);
  });
});
