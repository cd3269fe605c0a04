import { describe, expect, it } from 'vitest';
import { ContextGraph, type ContextState } from '../../../src/engine/bias/context-graph';
import { parseContextList } from '../../../src/engine/bias/context-list';

/** Walks a token sequence and returns the total bonus and the final state. */
function walk(graph: ContextGraph, tokens: number[]): { total: number; state: ContextState; matched: string[] } {
  let state = graph.root;
  let total = 0;
  const matched: string[] = [];
  for (const t of tokens) {
    const step = graph.forward(state, t);
    total += step.score;
    state = step.state;
    if (step.matched) matched.push(step.matched.phrase);
  }
  return { total, state, matched };
}

const [A, B, C, D, X] = [1, 2, 3, 4, 9];

describe('context graph (token-level Aho-Corasick)', () => {
  const graph = new ContextGraph(
    [
      { tokens: [A, B, C], phrase: 'abc' },
      { tokens: [B, C, D], phrase: 'bcd', boost: 2 },
      { tokens: [C], phrase: 'c', boost: 0.5 },
    ],
    1,
  );

  it('boosts every token of a completed entry and returns to the root', () => {
    const r = walk(graph, [A, B, C]);
    expect(r.total).toBeCloseTo(3);
    expect(r.state).toBe(graph.root);
    expect(r.matched).toContain('abc');
  });

  it('uses the per-entry boost', () => {
    const names = new ContextGraph([{ tokens: [A, B], boost: 0.5 }, { tokens: [B, C, D], phrase: 'bcd', boost: 2 }], 1);
    const r = walk(names, [X, B, C, D]);
    expect(r.total).toBeCloseTo(6);
    expect(r.matched).toContain('bcd');
  });

  it('takes back the bonus of a failed partial match', () => {
    const r = walk(graph, [A, B, X]);
    expect(r.total).toBeCloseTo(0);
    expect(r.state).toBe(graph.root);
  });

  it('falls back to the longest suffix that still matches', () => {
    // "a b" then "b": the failed "abb" keeps the suffix "b" of "bcd" (boost 2).
    const r = walk(graph, [A, B, B]);
    expect(r.total).toBeCloseTo(2);
    expect(r.state.depth).toBe(1);
  });

  it('cancels an unfinished match at the end of the utterance', () => {
    const r = walk(graph, [X, B, C]);
    expect(r.total).toBeGreaterThan(0);
    const fin = graph.finalize(r.state);
    expect(r.total + fin.score).toBeCloseTo(0.5); // only the completed one-token entry "c" stays
  });

  it('leaves unrelated tokens unscored', () => {
    expect(walk(graph, [X, X, D, X]).total).toBe(0);
  });
});

describe('context list', () => {
  it('parses names with and without a boost, skipping blanks and comments', () => {
    expect(parseContextList('Siobhan Dowd :2.5\n\n# staff\nNiamh\nO\'Brien : 3\n')).toEqual([
      { phrase: 'Siobhan Dowd', boost: 2.5 },
      { phrase: 'Niamh' },
      { phrase: "O'Brien", boost: 3 },
    ]);
  });
});
