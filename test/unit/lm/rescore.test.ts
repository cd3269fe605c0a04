import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lattice, LatticeArc } from '../../../src/shared/domain/decode';
import { kBestLatticePaths } from '../../../src/engine/lm/lattice-paths';
import { candidatesOf, latticeWithLmScores, rankCandidates, scoreCandidates } from '../../../src/engine/lm/rescore';
import { rescoredLine, scoreLine, tuneWeights, werUnder, type DecodeLine } from '../../../src/engine/lm/rescore-line';
import { loadLanguageModel } from '../../../src/engine/lm/load-language-model';
import { expectGolden } from '../export/golden';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'lm');
const arpa = loadLanguageModel(join(fixtures, 'tiny.arpa'));
const LN10 = Math.LN10;

const arc = (from: number, to: number, word: string, acousticScore: number): LatticeArc => ({ from, to, word, startFrame: from, endFrame: to, acousticScore, biasScore: 0, posterior: 0 });

/** "the"/"a" then "cat"/"sat": first pass a sat -2.6, the sat -2.8, a cat -2.9, the cat -3.1. */
const lattice: Lattice = {
  frameShiftS: 0.04,
  nodes: [0, 1, 2, 3].map((id) => ({ id, frame: id, timeS: id * 0.04 })),
  arcs: [arc(0, 1, 'the', -1), arc(0, 1, 'a', -0.8), arc(1, 2, 'cat', -2.1), arc(1, 2, 'sat', -1.8), arc(2, 3, '', 0)],
  start: 0,
  end: 3,
};

describe('the k best paths of a lattice', () => {
  it('come best first by acoustic + bias score, with their words and arcs', () => {
    const paths = kBestLatticePaths(lattice, 3);
    expect(paths.map((p) => p.words.join(' '))).toEqual(['a sat', 'the sat', 'a cat']);
    expect(paths.map((p) => p.acoustic)).toEqual([-2.6, -2.8, -2.9].map((x) => expect.closeTo(x, 9)));
    expect(paths[0].arcs).toEqual([1, 3, 4]);
  });
});

describe('rescoring with a language model', () => {
  it('re-ranks by acoustic + weight × LM − penalty × words (ARPA scores checked by hand)', async () => {
    const scored = await scoreCandidates(arpa, candidatesOf([], lattice));
    const byText = new Map(scored.map((c) => [c.words.join(' '), c]));
    // log10: the cat = -0.30103 - 0.1 - 1.35; the sat = -0.30103 - 1.85103 - 0.2 (see arpa.test.ts for the back-off).
    expect(byText.get('the cat')!.lm).toBeCloseTo(-1.75103 * LN10, 5);
    expect(byText.get('the sat')!.lm).toBeCloseTo(-2.35206 * LN10, 5);
    expect(rankCandidates(scored, { lmWeight: 0, insertionPenalty: 0 })[0].words).toEqual(['a', 'sat']);
    // "a" is outside the tiny model's vocabulary (floor -10 log10): with the LM, "the cat" wins.
    expect(rankCandidates(scored, { lmWeight: 1, insertionPenalty: 0 })[0].words).toEqual(['the', 'cat']);
  });

  it('puts each word LM score on its arc, in the history of the best first-pass path through it', async () => {
    const scored = await scoreCandidates(arpa, candidatesOf([], lattice));
    const withLm = latticeWithLmScores(lattice, scored);
    const lm = withLm.arcs.map((a) => a.lmScore! / LN10);
    expect(lm[0]).toBeCloseTo(-0.30103, 5); // the | <s>  (path "the sat")
    expect(lm[1]).toBeCloseTo(-10, 5); // a | <s>: outside the vocabulary
    expect(lm[2]).toBeCloseTo(-1.0, 5); // cat | <s> a: unigram (path "a cat")
    expect(lm[3]).toBeCloseTo(-1.30103, 5); // sat | <s> a: unigram (path "a sat")
    expect(lm[4]).toBeCloseTo(-0.2, 5); // </s> | a sat: bigram "sat </s>"
    expect(lattice.arcs[0].lmScore).toBeUndefined(); // the input is left as it was
  });

  it('rescores real decode lines with the small cloud model (golden), keeping the first pass beside the new 1-best', async () => {
    const lm = loadLanguageModel(join(fixtures, 'cloud-lm-small'));
    try {
      const lines = readFileSync(join(fixtures, 'decode-lines.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DecodeLine);
      const scored = await Promise.all(lines.map((l) => scoreLine(lm, l)));
      const out = scored.map((s) => rescoredLine(lm, s, { lmWeight: 0.5, insertionPenalty: -0.5 }));
      for (const [i, o] of out.entries()) {
        expect(o.first_pass_hyp).toBe(lines[i].hyp);
        expect(o.nbest).toEqual(lines[i].nbest);
        o.rescore.ms = 0; // wall time, not a result
      }
      expectGolden('rescored.jsonl', out.map((o) => JSON.stringify(o)).join('\n') + '\n');
    } finally {
      lm.release();
    }
  });

  it('tunes weight and penalty on a grid, never on worse than the grid allows', async () => {
    const lm = loadLanguageModel(join(fixtures, 'cloud-lm-small'));
    try {
      const lines = readFileSync(join(fixtures, 'decode-lines.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DecodeLine);
      const scored = await Promise.all(lines.map((l) => scoreLine(lm, l)));
      const tuned = tuneWeights(scored);
      expect(tuned.grid.length).toBe(81);
      expect(tuned.wer).toBe(Math.min(...tuned.grid.map((g) => g.wer)));
      expect(werUnder(scored, tuned).wer).toBe(tuned.wer);
    } finally {
      lm.release();
    }
  });
});

describe('a lattice that cannot be searched', () => {
  it('is refused with the reason, not searched', () => {
    const backwards: Lattice = { ...lattice, arcs: [...lattice.arcs, arc(2, 1, 'oops', 0)] };
    expect(() => kBestLatticePaths(backwards, 4)).toThrow(/the lattice cannot be rescored: arc 5 does not go from a node to a later one/);
    expect(() => kBestLatticePaths({ ...lattice, end: 9 }, 4)).toThrow(/its start or end is not one of its nodes/);
  });
});
