import { describe, expect, it } from 'vitest';
import { ModifiedBeamSearch } from '../../../src/engine/asr/modified-beam-search';
import { TokenTable } from '../../../src/engine/asr/tokens';
import type { SearchHypothesis } from '../../../src/engine/asr/search-types';
import { buildLattice } from '../../../src/engine/lattice/build-lattice';
import { NULL_WORD } from '../../../src/engine/lattice/lattice-recorder';
import { computePosteriors } from '../../../src/engine/lattice/posteriors';
import { readSlf, writeSlf } from '../../../src/engine/lattice/slf';
import { writeOpenFst, writeOpenFstSymbols } from '../../../src/engine/lattice/openfst';
import { readLatticeJson, writeLatticeJson } from '../../../src/engine/lattice/lattice-json';
import type { Lattice } from '../../../src/shared/domain/decode';
import { framesFrom, TableJoint, VOCAB } from '../asr/table-joint';

const tokens = new TokenTable(VOCAB);
const SPEC: Record<string, number>[] = [{ h: 0.9 }, { i: 0.6, e: 0.3 }, { ' ': 0.9 }, { j: 0.9 }, { o: 0.7, a: 0.2 }, { h: 0.3 }, { n: 0.9 }, {}, {}];

function nbest(): SearchHypothesis[] {
  const search = new ModifiedBeamSearch(new TableJoint(), { beam: 4 });
  search.acceptFrames(framesFrom(SPEC), SPEC.length);
  return search.hypotheses(true);
}

/** Every start→end path as its words and total score. */
function paths(l: Lattice): { words: string; score: number }[] {
  const out: { words: string; score: number }[] = [];
  const walk = (node: number, words: string[], score: number): void => {
    if (node === l.end) out.push({ words: words.join(' '), score });
    for (const a of l.arcs.filter((x) => x.from === node)) {
      walk(a.to, a.word === NULL_WORD ? words : [...words, a.word], score + a.acousticScore + a.biasScore);
    }
  };
  walk(l.start, [], 0);
  return out;
}

describe('word lattice', () => {
  it('contains every n-best entry as a path, at its own score or better', () => {
    const hyps = nbest();
    expect(hyps.length).toBeGreaterThan(2);
    const lattice = buildLattice(hyps, { numFrames: SPEC.length, frameShiftS: 0.04, tokens });
    const all = paths(lattice);
    for (const h of hyps) {
      const words = tokens.toText(h.tokens.map((t) => t.id));
      // Arcs with the same ends and word keep the best score, so a path may score above its entry.
      const best = Math.max(...all.filter((p) => p.words === words).map((p) => p.score));
      expect(best, words).toBeGreaterThanOrEqual(h.acousticScore + h.biasScore - 1e-9);
    }
    const top = hyps[0];
    expect(Math.max(...all.map((p) => p.score))).toBeCloseTo(top.acousticScore + top.biasScore, 9);
  });

  it('merges shared histories into one graph', () => {
    const hyps = nbest();
    const lattice = buildLattice(hyps, { numFrames: SPEC.length, frameShiftS: 0.04, tokens });
    const hiArcs = lattice.arcs.filter((a) => a.word === 'hi');
    expect(hiArcs).toHaveLength(1);
    expect(hiArcs[0].posterior).toBeGreaterThan(0.5);
    // Nodes are in time order and numbered topologically.
    for (const a of lattice.arcs) expect(a.from).toBeLessThan(a.to);
    for (let i = 1; i < lattice.nodes.length; i++) expect(lattice.nodes[i].frame).toBeGreaterThanOrEqual(lattice.nodes[i - 1].frame);
  });

  it('has posteriors that sum to 1 across every cut in time', () => {
    const lattice = buildLattice(nbest(), { numFrames: SPEC.length, frameShiftS: 0.04, tokens });
    for (let t = 0; t < SPEC.length; t++) {
      const sum = lattice.arcs.filter((a) => a.startFrame <= t && t < a.endFrame).reduce((s, a) => s + a.posterior, 0);
      expect(sum, `frame ${t}`).toBeCloseTo(1, 9);
    }
  });

  it('gives an empty hypothesis a null arc from start to end', () => {
    const lattice = buildLattice([{ tokens: [], acousticScore: -3, biasScore: 0, lmScore: 0, trailingBlankLogProb: -3 }], { numFrames: 4, frameShiftS: 0.04, tokens });
    expect(lattice.arcs).toEqual([expect.objectContaining({ from: lattice.start, to: lattice.end, word: NULL_WORD, acousticScore: -3, posterior: 1 })]);
  });

  it('gives arc posteriors equal to the share of the paths through the arc', () => {
    const l: Lattice = {
      frameShiftS: 0.04,
      start: 0,
      end: 2,
      nodes: [0, 1, 2].map((i) => ({ id: i, frame: i * 2, timeS: i * 0.08 })),
      arcs: [
        { from: 0, to: 1, word: 'a', startFrame: 0, endFrame: 2, acousticScore: Math.log(0.3), biasScore: 0, posterior: 0 },
        { from: 0, to: 1, word: 'b', startFrame: 0, endFrame: 2, acousticScore: Math.log(0.1), biasScore: 0, posterior: 0 },
        { from: 1, to: 2, word: 'c', startFrame: 2, endFrame: 4, acousticScore: 0, biasScore: 0, posterior: 0 },
      ],
    };
    expect(computePosteriors(l)).toBeCloseTo(Math.log(0.4));
    expect(l.arcs.map((a) => a.posterior)).toEqual([expect.closeTo(0.75), expect.closeTo(0.25), expect.closeTo(1)]);
  });

  it('round-trips through SLF', () => {
    const empty: SearchHypothesis = { tokens: [], acousticScore: -40, biasScore: 0, lmScore: 0, trailingBlankLogProb: -40 };
    const lattice = buildLattice([...nbest(), empty], { numFrames: SPEC.length, frameShiftS: 0.04, tokens });
    const slf = writeSlf(lattice, 'utt 1');
    expect(slf).toMatch(/^VERSION=1\.0$/m);
    expect(slf).toMatch(/W=!NULL/);
    const back = readSlf(slf);
    expect(back.start).toBe(lattice.start);
    expect(back.end).toBe(lattice.end);
    expect(back.nodes.map((n) => n.frame)).toEqual(lattice.nodes.map((n) => n.frame));
    expect(back.arcs).toHaveLength(lattice.arcs.length);
    back.arcs.forEach((a, i) => {
      const o = lattice.arcs[i];
      expect([a.from, a.to, a.word, a.startFrame, a.endFrame]).toEqual([o.from, o.to, o.word, o.startFrame, o.endFrame]);
      expect(a.acousticScore).toBeCloseTo(o.acousticScore, 5);
      expect(a.biasScore).toBeCloseTo(o.biasScore, 5);
      expect(a.posterior).toBeCloseTo(o.posterior, 5);
    });
    expect(writeSlf(back, 'utt 1')).toBe(slf);
  });

  it('writes OpenFst text with tropical costs and a symbol table', () => {
    const lattice = buildLattice(nbest(), { numFrames: SPEC.length, frameShiftS: 0.04, tokens });
    const lines = writeOpenFst(lattice).trim().split('\n');
    expect(lines).toHaveLength(lattice.arcs.length + 1);
    expect(lines.at(-1)).toBe(String(lattice.end));
    const [from, to, ilabel, olabel, cost] = lines[0].split('\t');
    expect([Number(from), Number(to), ilabel]).toEqual([lattice.arcs[0].from, lattice.arcs[0].to, lattice.arcs[0].word || '<eps>']);
    expect(olabel).toBe(ilabel);
    expect(Number(cost)).toBeCloseTo(-(lattice.arcs[0].acousticScore + lattice.arcs[0].biasScore), 5);
    expect(writeOpenFstSymbols(lattice).split('\n')[0]).toBe('<eps> 0');
  });

  it('round-trips through JSON', () => {
    const lattice = buildLattice(nbest(), { numFrames: SPEC.length, frameShiftS: 0.04, tokens });
    const back = readLatticeJson(writeLatticeJson(lattice));
    expect(back.nodes).toEqual(lattice.nodes);
    expect(back.arcs.map((a) => a.word)).toEqual(lattice.arcs.map((a) => a.word));
  });
});
