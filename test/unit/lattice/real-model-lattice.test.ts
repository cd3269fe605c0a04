/**
 * Dense lattices of the shipped model on a demo recording (skipped without it; EARSHOT_REAL_MODEL
 * points at another export). The arcs are a golden file: `EARSHOT_UPDATE_GOLDEN=1` rewrites it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFile } from '../../../src/engine/asr/decode-utterance';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import type { DecodeResult } from '../../../src/shared/domain/decode';
import { expectGolden } from '../export/golden';

const ROOT = join(__dirname, '../../..');
const MODEL = process.env.EARSHOT_REAL_MODEL ?? join(ROOT, 'resources/models/earshot-rnnt');
const PRIYA = join(ROOT, 'resources/demo/message-priya.wav');
const CONTEXT = ['anna mitchell', 'priya ramanathan', 'kitchen lights'].map((phrase) => ({ phrase }));

const nbestOf = (r: DecodeResult) => r.nbest.map((h) => [h.text, h.score]);
const arcLines = (r: DecodeResult): string => r.lattice.arcs.map((a) => `${a.startFrame} ${a.endFrame} ${a.word || '!NULL'}`).join('\n') + '\n';

describe.skipIf(!existsSync(join(MODEL, 'model.json')))('dense lattices on the shipped model', () => {
  let model: TransducerModel;
  let byBeam: Map<number, DecodeResult>;
  beforeAll(async () => {
    model = TransducerModel.load(MODEL);
    byBeam = new Map();
    // sherpa-onnx's fusion: whole-word fusion (the model's default) ranks the listed name's paths higher
    // as they are picked, so the beam keeps no other spelling of it and there is no competition to show.
    for (const latticeBeam of [0, 8, 30]) byBeam.set(latticeBeam, await decodeFile(model, PRIYA, { beam: 4, latticeBeam, context: CONTEXT, fusion: 'sherpa' }));
  });
  afterAll(() => model?.release());

  it('gives the same n-best whatever the lattice beam', () => {
    const [narrow, standard, wide] = [0, 8, 30].map((b) => nbestOf(byBeam.get(b) as DecodeResult));
    expect(standard).toEqual(narrow);
    expect(wide).toEqual(narrow);
  });

  it('keeps the spellings that competed for the name', () => {
    const r = byBeam.get(8) as DecodeResult;
    expectGolden('lattice/message-priya.arcs.txt', arcLines(r));
    const name = r.lattice.arcs.filter((a) => a.word.startsWith('pri'));
    expect(new Set(name.map((a) => a.word)).size).toBeGreaterThanOrEqual(2);
    // Posteriors of the arcs crossing any frame sum to 1.
    for (let t = 0; t < r.trace.numFrames; t++) {
      const cut = r.lattice.arcs.filter((a) => a.startFrame <= t && t < a.endFrame).reduce((s, a) => s + a.posterior, 0);
      expect(cut, `frame ${t}`).toBeCloseTo(1, 6);
    }
  });

  it('grows denser with a wider lattice beam', () => {
    const arcs = [0, 8, 30].map((b) => (byBeam.get(b) as DecodeResult).lattice.arcs.length);
    expect(arcs[1]).toBeGreaterThan(arcs[0]);
    expect(arcs[2]).toBeGreaterThanOrEqual(arcs[1]);
  });
});
