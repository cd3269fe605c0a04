/**
 * Biasing on the shipped model (resources/models/earshot-rnnt; skipped until it exists, or
 * point EARSHOT_REAL_MODEL at another export). The fixtures are espeak-ng recordings of
 * invented names that no training list holds, so the unbiased decode can only guess their
 * spelling; the biasing list has to supply it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFile } from '../../../src/engine/asr/decode-utterance';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { contextFromNames } from '../../../src/engine/bias/context-list';

const MODEL = process.env.EARSHOT_REAL_MODEL ?? join(__dirname, '../../../resources/models/earshot-rnnt');
const FIXTURES = join(__dirname, '../../fixtures/biasing');

interface Planted {
  audio: string;
  text: string;
  name: string;
  context: string[];
}
const planted = readFileSync(join(FIXTURES, 'manifest.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Planted);

describe.skipIf(!existsSync(join(MODEL, 'model.json')))('biasing on the shipped model', () => {
  let model: TransducerModel;
  beforeAll(() => {
    model = TransducerModel.load(MODEL);
  });
  afterAll(() => model?.release());

  it('recovers planted rare names that the unbiased decode misses', async () => {
    let recovered = 0;
    for (const p of planted) {
      const path = join(FIXTURES, p.audio);
      const plain = await decodeFile(model, path, { beam: 4 });
      const biased = await decodeFile(model, path, { beam: 4, context: contextFromNames(p.context) });
      expect(biased.hyp, `${p.audio}: unbiased "${plain.hyp}"`).toContain(p.name);
      if (!plain.hyp.includes(p.name)) recovered++;
    }
    expect(recovered).toBeGreaterThan(0);
  });

  it('each biasing method alone helps', async () => {
    for (const method of [{ attentionBias: false }, { shallowFusion: false }]) {
      let hits = 0;
      for (const p of planted) {
        const r = await decodeFile(model, join(FIXTURES, p.audio), { beam: 4, context: contextFromNames(p.context), ...method });
        if (r.hyp.includes(p.name)) hits++;
      }
      expect(hits, JSON.stringify(method)).toBeGreaterThan(0);
    }
  });
});
