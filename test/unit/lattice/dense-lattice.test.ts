/** The beam search's dense lattice: the competitors it meets, merged at shared word boundaries, dead ends pruned. */
import { describe, expect, it } from 'vitest';
import { ModifiedBeamSearch } from '../../../src/engine/asr/modified-beam-search';
import { TokenTable } from '../../../src/engine/asr/tokens';
import { LatticeRecorder, NULL_WORD } from '../../../src/engine/lattice/lattice-recorder';
import { WordPieces } from '../../../src/engine/lattice/word-pieces';
import type { Lattice } from '../../../src/shared/domain/decode';
import { framesFrom, TableJoint, VOCAB } from '../asr/table-joint';

const words = new WordPieces(new TokenTable(VOCAB));

function decode(spec: Record<string, number>[], beam: number, latticeBeam?: number) {
  const search = new ModifiedBeamSearch(new TableJoint(), { beam, ...(latticeBeam === undefined ? {} : { lattice: { words, beam: latticeBeam } }) });
  search.acceptFrames(framesFrom(spec), spec.length);
  const hyps = search.hypotheses(true);
  return { hyps, lattice: latticeBeam === undefined ? undefined : search.lattice(hyps, 0.04) };
}

const arcsOf = (l: Lattice): string[] => l.arcs.map((a) => `${a.startFrame}-${a.endFrame} ${a.word}`).sort();
const textOf = (h: { tokens: { id: number }[] }): string => h.tokens.map((t) => VOCAB[t.id]).join('').replaceAll('▁', ' ');

/** "hi" then "jon", a word boundary that is 60 % sure at frame 2. */
const HI_JON: Record<string, number>[] = [{ h: 0.9 }, { i: 0.6, e: 0.3 }, { ' ': 0.6 }, { j: 0.9 }, { o: 0.9 }, { n: 0.9 }, {}];
/** "hi jon go", where "john" and "he" compete. */
const HI_JOHN_GO: Record<string, number>[] = [{ h: 0.9 }, { i: 0.6, e: 0.3 }, { ' ': 0.9 }, { j: 0.9 }, { o: 0.7, a: 0.2 }, { h: 0.3 }, { n: 0.9 }, { ' ': 0.8 }, { g: 0.9 }, { o: 0.9 }, {}];

describe('dense lattice from the beam search', () => {
  it('keeps a competitor word that the beam dropped when its word end scores within the lattice beam', () => {
    // With beam 2, frame 2 keeps "hi▁" and "hi" + blank; "he▁" (0.69 nats below the best) is dropped.
    const narrow = decode(HI_JON, 2, 0.5).lattice as Lattice;
    const wide = decode(HI_JON, 2, 1).lattice as Lattice;
    expect(arcsOf(narrow)).toEqual(['0-2 hi', '0-7 hijon', '2-7 jon']);
    expect(arcsOf(wide)).toEqual(['0-2 he', '0-2 hi', '0-7 hijon', '2-7 jon']);
    const he = wide.arcs.find((a) => a.word === 'he');
    expect(he?.posterior).toBeCloseTo(0.3 / 1.3, 6);
  });

  it('holds spelling variants that ended a word together, and every n-best entry', () => {
    const { hyps, lattice } = decode(HI_JOHN_GO, 3, 8);
    expect(hyps.map(textOf)).toEqual(['hi jon go', 'hi john go', 'he jon go']);
    // "h" (a path the search dropped) ends at the same boundary as "hi" and "he": one node for all three.
    expect(arcsOf(lattice as Lattice)).toEqual(['0-2 h', '0-2 he', '0-2 hi', '2-7 john', '2-7 jon', '7-11 go']);
    expect(new Set(lattice?.arcs.filter((a) => a.startFrame === 0).map((a) => a.to)).size).toBe(1);
  });

  it('never changes the hypotheses: the same n-best with no lattice, a narrow one or a wide one', () => {
    const plain = decode(HI_JOHN_GO, 3).hyps;
    for (const latticeBeam of [0, 8, 50]) {
      const { hyps } = decode(HI_JOHN_GO, 3, latticeBeam);
      expect(hyps.map((h) => [textOf(h), h.acousticScore, h.biasScore])).toEqual(plain.map((h) => [textOf(h), h.acousticScore, h.biasScore]));
    }
  });

  it('grows with the lattice beam: a wider beam keeps every arc of a narrower one', () => {
    let before: string[] = [];
    for (const latticeBeam of [0, 1, 4, 16]) {
      const arcs = arcsOf(decode(HI_JON, 2, latticeBeam).lattice as Lattice);
      expect(arcs).toEqual(expect.arrayContaining(before));
      before = arcs;
    }
  });
});

describe('lattice recorder', () => {
  it('drops arcs that reach no end, and arcs no path reaches', () => {
    const r = new LatticeRecorder();
    const a = r.boundary(3, 0);
    const dead = r.boundary(5, 0);
    const orphan = r.boundary(4, 0);
    r.addWord(r.start, a, 'one', -1, 0);
    r.addWord(a, r.end, 'two', -1, 0);
    r.addWord(r.start, dead, 'nowhere', -0.5, 0);
    r.addWord(orphan, r.end, 'unreached', -0.5, 0);
    expect(r.size).toBe(4);
    const l = r.finish(8, 0.04);
    expect(l.arcs.map((x) => x.word)).toEqual(['one', 'two']);
    expect(l.nodes.map((n) => n.frame)).toEqual([0, 3, 8]);
  });

  it('keeps the best score of arcs with the same ends and word', () => {
    const r = new LatticeRecorder();
    r.addWord(r.start, r.end, 'same', -2, 0);
    r.addWord(r.start, r.end, 'same', -1, -0.5);
    r.addWord(r.start, r.end, 'same', -3, 0);
    const l = r.finish(4, 0.04);
    expect(l.arcs).toEqual([expect.objectContaining({ word: 'same', acousticScore: -1, biasScore: -0.5, posterior: 1 })]);
  });

  it('orders two boundaries of one frame by rank, so a word spoken inside a frame keeps the graph acyclic', () => {
    const r = new LatticeRecorder();
    const first = r.boundary(2, 0);
    const second = r.boundary(2, 1);
    r.addWord(r.start, first, 'a', -1, 0);
    r.addWord(first, second, 'b', -1, 0);
    r.addWord(second, r.end, NULL_WORD, -1, 0);
    const l = r.finish(3, 0.04);
    expect(l.arcs.map((x) => [x.from, x.to, x.word])).toEqual([
      [0, 1, 'a'],
      [1, 2, 'b'],
      [2, 3, NULL_WORD],
    ]);
  });
});
