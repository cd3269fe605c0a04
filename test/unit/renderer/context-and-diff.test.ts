import { describe, expect, it } from 'vitest';
import { formatContextList, parseContextList } from '../../../src/renderer/src/lib/context-list';
import { diffWords } from '../../../src/renderer/src/lib/word-diff';

describe('the context list editor', () => {
  it('reads one phrase a line with an optional :boost', () => {
    const parsed = parseContextList('anna mitchell:2.5\n\n  kitchen lights  \nratio 3:2 mix');
    // A colon not followed by a number at the end of the line is part of the phrase.
    expect(parsed.entries).toEqual([{ phrase: 'anna mitchell', boost: 2.5 }, { phrase: 'kitchen lights' }, { phrase: 'ratio 3:2 mix' }]);
    expect(parsed.problems).toEqual([]);
  });

  it('reports a boost out of range with its line number', () => {
    expect(parseContextList('a\nb:99').problems).toEqual([{ line: 2, message: 'the boost must be between 0 and 20' }]);
  });

  it('writes back what it reads', () => {
    const entries = [{ phrase: 'priya ramanathan', boost: 3 }, { phrase: 'paris' }];
    expect(parseContextList(formatContextList(entries)).entries).toEqual(entries);
  });
});

describe('the hypothesis diff after a re-run', () => {
  it('marks the words a context list fixed', () => {
    expect(diffWords('call and a mitchel now', 'call anna mitchell now')).toEqual([
      { kind: 'same', word: 'call' },
      { kind: 'removed', word: 'and' },
      { kind: 'removed', word: 'a' },
      { kind: 'removed', word: 'mitchel' },
      { kind: 'added', word: 'anna' },
      { kind: 'added', word: 'mitchell' },
      { kind: 'same', word: 'now' },
    ]);
  });
});
