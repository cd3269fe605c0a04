import { describe, expect, it } from 'vitest';
import { ContextGraph, type ContextState } from '../../../src/engine/bias/context-graph';
import { parseContextList, spellingOf } from '../../../src/engine/bias/context-list';

/** Walks a token sequence and returns the total bonus and the final state. */
function walk(graph: ContextGraph, tokens: number[], from: ContextState = graph.root): { total: number; state: ContextState; matched: string[] } {
  let state = from;
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

describe('context graph matching whole words', () => {
  // A character vocabulary: the boundary token goes between words, not before the first.
  const SPACE = 1;
  const ids = (text: string): number[] => [...text].map((ch) => (ch === ' ' ? SPACE : ch.charCodeAt(0) - 94));
  const graph = new ContextGraph([{ tokens: ids('ann'), phrase: 'ann' }, { tokens: ids('mary ann'), phrase: 'mary ann' }], 1, { wordBoundary: SPACE });
  // A hypothesis starts just after a boundary: the utterance's first word is a word start.
  const say = (text: string): { total: number; state: ContextState; matched: string[] } => walk(graph, ids(text), graph.start);

  it('keeps the boost of a name that ends at a word boundary, and starts over after it', () => {
    const once = say('call ann now');
    expect(once.total).toBeCloseTo(3);
    expect(once.matched).toEqual(['ann']);
    expect(say('ann ').state).toBe(graph.start);
    expect(say('ann ann ').matched).toEqual(['ann', 'ann']);
  });

  it('keeps the boost of a name that ends the utterance', () => {
    const r = say('call ann');
    const end = graph.finalize(r.state);
    expect(r.total + end.score).toBeCloseTo(3);
    expect(end.matched?.phrase).toBe('ann');
  });

  it('gives nothing for a name inside a longer word, at its start or elsewhere', () => {
    const inside = say('a planner');
    expect(inside.total + graph.finalize(inside.state).score).toBeCloseTo(0);
    const prefix = say('annual report');
    expect(prefix.total).toBeCloseTo(0);
    expect(prefix.matched).toEqual([]);
    const atEnd = say('the annual');
    expect(atEnd.total + graph.finalize(atEnd.state).score).toBeCloseTo(0);
  });

  it('matches an entry of several words as a whole', () => {
    // m a r y ▁ a n n: the boundary inside the entry is one of its tokens.
    const r = say('text mary ann');
    expect(r.total + graph.finalize(r.state).score).toBeCloseTo(8);
  });

  it('tells a search what each token would earn from a state', () => {
    const after = say('call a').state;
    const bonuses = graph.bonuses(after, 29);
    expect(bonuses[ids('n')[0]]).toBeCloseTo(1);
    expect(bonuses[ids('x')[0]]).toBeCloseTo(-1);
    expect(bonuses[SPACE]).toBeCloseTo(-1);
  });
});

describe('context list', () => {
  it('spells entries the way a lower-case character vocabulary can', () => {
    expect(spellingOf('Zoë')).toBe('zoe');
    expect(spellingOf('Jean-Luc  Picard')).toBe('jean luc picard');
    expect(spellingOf('O’Brien')).toBe("o'brien");
    expect(spellingOf('Dr. Ångström')).toBe('dr angstrom');
  });

  it('parses names with and without a boost, skipping blanks and comments', () => {
    expect(parseContextList('Siobhan Dowd :2.5\n\n# staff\nNiamh\nO\'Brien : 3\n')).toEqual([
      { phrase: 'Siobhan Dowd', boost: 2.5 },
      { phrase: 'Niamh' },
      { phrase: "O'Brien", boost: 3 },
    ]);
  });
});
