import { describe, expect, it } from 'vitest';
import { TokenTable } from '../../../src/engine/asr/tokens';

const TEXT = '<blk> 0\n▁ 1\n\' 2\n' + [...'abcdefghijklmnopqrstuvwxyz'].map((c, i) => `${c} ${i + 3}`).join('\n') + '\n';

describe('token table', () => {
  const table = TokenTable.parse(TEXT);

  it('reads tokens.txt', () => {
    expect(table.size).toBe(29);
    expect(table.symbol(0)).toBe('<blk>');
    expect(table.id('a')).toBe(3);
    expect(table.isWordBoundary(1)).toBe(true);
  });

  it('encodes text with the boundary token between words', () => {
    expect(table.encode("O'Brien set")).toEqual([17, 2, 4, 20, 11, 7, 16, 1, 21, 7, 22]);
    expect(table.encode('café')).toBeNull();
  });

  it('turns token ids back into text', () => {
    expect(table.toText([1, 21, 7, 22, 1, 1, 22, 10, 7, 1])).toBe('set the');
  });

  it('names the line of a malformed entry and a gap in the ids', () => {
    expect(() => TokenTable.parse('<blk> 0\nbroken\n', 'x/tokens.txt')).toThrow(/x\/tokens.txt:2: expected "symbol id"/);
    expect(() => TokenTable.parse('<blk> 0\na 2\n')).toThrow(/id 1 is missing/);
  });
});
