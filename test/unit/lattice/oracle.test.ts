/** Oracle word errors: the best path of a lattice and of an n-best list against the reference. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticeOracleErrors, oracleErrors } from '../../../src/engine/lattice/oracle';
import { NULL_WORD } from '../../../src/engine/lattice/lattice-recorder';
import { wordErrors } from '../../../src/engine/metrics/wer';
import type { Lattice } from '../../../src/shared/domain/decode';

/** A lattice from `from to word` triples over nodes 0…n-1 (0 the start, n-1 the end). */
function lattice(numNodes: number, arcs: [number, number, string][]): Lattice {
  return {
    frameShiftS: 0.04,
    start: 0,
    end: numNodes - 1,
    nodes: Array.from({ length: numNodes }, (_, i) => ({ id: i, frame: i, timeS: i * 0.04 })),
    arcs: arcs.map(([from, to, word]) => ({ from, to, word, startFrame: from, endFrame: to, acousticScore: 0, biasScore: 0, posterior: 0 })),
  };
}

/** call {anna | ana | hannah} {mitchell | mitchel} — and "call" may be missed. */
const CALL_ANNA = lattice(4, [
  [0, 1, 'call'],
  [0, 1, NULL_WORD],
  [1, 2, 'ana'],
  [1, 2, 'hannah'],
  [1, 2, 'anna'],
  [2, 3, 'mitchel'],
  [2, 3, 'mitchell'],
]);

describe('lattice oracle', () => {
  it('finds the path that matches the reference, though no single n-best entry does', () => {
    expect(latticeOracleErrors(CALL_ANNA, 'call anna mitchell')).toBe(0);
    const o = oracleErrors('call anna mitchell', ['call ana mitchell', 'call anna mitchel'], CALL_ANNA);
    expect(o).toEqual({ words: 3, nbestErrors: 1, latticeErrors: 0 });
  });

  it('counts deletions, insertions and substitutions along the best path', () => {
    expect(latticeOracleErrors(CALL_ANNA, 'please call anna mitchell now')).toBe(2); // two deletions
    expect(latticeOracleErrors(CALL_ANNA, 'anna mitchell')).toBe(0); // the null arc skips "call"
    expect(latticeOracleErrors(CALL_ANNA, 'call')).toBe(2); // two insertions
    expect(latticeOracleErrors(CALL_ANNA, 'call joanna mitchell')).toBe(1);
    expect(latticeOracleErrors(CALL_ANNA, '')).toBe(2); // the null arc, then two words
  });

  it('normalises words as WER does and splits arcs that hold several words', () => {
    const l = lattice(3, [
      [0, 1, "I'm"],
      [1, 2, 'running_late'.replace('_', ' ')],
    ]);
    expect(latticeOracleErrors(l, "i'm running late.")).toBe(0);
  });

  it('equals the fewest errors over every path of a random DAG', () => {
    const vocabulary = ['a', 'b', 'c', NULL_WORD];
    const arb = fc.record({
      nodes: fc.integer({ min: 2, max: 6 }),
      extra: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...vocabulary)), { maxLength: 10 }),
      chain: fc.array(fc.constantFrom(...vocabulary), { minLength: 5, maxLength: 5 }),
      reference: fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(arb, ({ nodes, extra, chain, reference }) => {
        // A chain start→end guarantees a path; the extra arcs go forward only.
        const arcs: [number, number, string][] = Array.from({ length: nodes - 1 }, (_, i) => [i, i + 1, chain[i]]);
        for (const [a, b, w] of extra) {
          const from = a % (nodes - 1);
          const to = from + 1 + (b % (nodes - 1 - from));
          arcs.push([from, to, w]);
        }
        const l = lattice(nodes, arcs);
        let best = Infinity;
        const walk = (node: number, words: string[]): void => {
          if (node === l.end) best = Math.min(best, wordErrors(reference, words).errors);
          for (const a of l.arcs) if (a.from === node) walk(a.to, a.word === NULL_WORD ? words : [...words, a.word]);
        };
        walk(l.start, []);
        expect(latticeOracleErrors(l, reference)).toBe(best);
      }),
      { numRuns: 300 },
    );
  });
});
