import { describe, expect, it } from 'vitest';
import { corpusWordErrors, normalizeWords, wordErrors } from '../../../src/engine/metrics/wer';

describe('word error rate', () => {
  it('normalises case and punctuation', () => {
    expect(normalizeWords("Hello, World! It's  well-known.")).toEqual(['hello', 'world', "it's", 'well-known']);
  });

  it('counts substitutions, deletions and insertions', () => {
    expect(wordErrors('the cat sat on the mat', 'the cat sat on the mat')).toMatchObject({ errors: 0, wer: 0 });
    expect(wordErrors('the cat sat', 'the bat sat')).toMatchObject({ substitutions: 1, deletions: 0, insertions: 0 });
    expect(wordErrors('the cat sat on the mat', 'the cat')).toMatchObject({ deletions: 4, errors: 4, wer: 4 / 6 });
    expect(wordErrors('the cat', 'the black cat')).toMatchObject({ insertions: 1, errors: 1, wer: 0.5 });
    expect(wordErrors('a b c d', 'x a c d e')).toMatchObject({ errors: 3, referenceWords: 4, hypothesisWords: 5 });
  });

  it('handles empty sides', () => {
    expect(wordErrors('', '')).toMatchObject({ errors: 0, wer: 0 });
    expect(wordErrors('', 'uh')).toMatchObject({ insertions: 1, wer: Infinity });
    expect(wordErrors('hello there', '')).toMatchObject({ deletions: 2, wer: 1 });
  });

  it('a truncated hypothesis with a partial last word: one substitution, the rest deletions', () => {
    expect(wordErrors('set a timer please', 'set a tim')).toMatchObject({ substitutions: 1, deletions: 1 });
  });

  it('corpus WER sums errors and words', () => {
    const total = corpusWordErrors([
      { reference: 'a b', hypothesis: 'a' },
      { reference: 'c d e f', hypothesis: 'c d e f' },
    ]);
    expect(total).toMatchObject({ errors: 1, referenceWords: 6 });
    expect(total.wer).toBeCloseTo(1 / 6);
  });
});
