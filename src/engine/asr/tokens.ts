/** The token table (`tokens.txt`: one `symbol id` per line) and text ↔ token conversion. */

/** sentencepiece's word-boundary mark; the vocabulary keeps it as a token of its own. */
export const WORD_BOUNDARY = '▁';

export class TokenTable {
  private readonly idBySymbol = new Map<string, number>();

  constructor(readonly symbols: readonly string[]) {
    symbols.forEach((s, id) => this.idBySymbol.set(s, id));
  }

  /** Parses tokens.txt text; `source` names the file in errors. */
  static parse(text: string, source = 'tokens.txt'): TokenTable {
    const symbols: string[] = [];
    const lineOf = new Map<string, number>();
    text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      // The symbol may itself be whitespace-free only; the id is the last field.
      const m = /^(\S+)\s+(\d+)\s*$/.exec(line);
      if (!m) throw new Error(`${source}:${i + 1}: expected "symbol id", got "${line}"`);
      const id = Number(m[2]);
      if (symbols[id] !== undefined) throw new Error(`${source}:${i + 1}: id ${id} is defined twice`);
      // Text → token lookup (biasing lists) needs one id per symbol.
      const earlier = lineOf.get(m[1]);
      if (earlier !== undefined) throw new Error(`${source}:${i + 1}: symbol "${m[1]}" is already defined on line ${earlier}`);
      lineOf.set(m[1], i + 1);
      symbols[id] = m[1];
    });
    for (let id = 0; id < symbols.length; id++) {
      if (symbols[id] === undefined) throw new Error(`${source}: id ${id} is missing (ids must be 0..${symbols.length - 1})`);
    }
    return new TokenTable(symbols);
  }

  get size(): number {
    return this.symbols.length;
  }

  symbol(id: number): string {
    return this.symbols[id] ?? `<${id}>`;
  }

  id(symbol: string): number | undefined {
    return this.idBySymbol.get(symbol);
  }

  isWordBoundary(id: number): boolean {
    return this.symbols[id] === WORD_BOUNDARY;
  }

  /** Joins token symbols into text: the boundary mark becomes a space. */
  toText(ids: readonly number[]): string {
    return ids
      .map((id) => this.symbol(id))
      .join('')
      .replaceAll(WORD_BOUNDARY, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  }

  /**
   * Splits text into tokens of a character vocabulary: lower case, words separated by the
   * boundary token (the model puts `▁` between words, not before the first). Returns null
   * when a character has no token, so callers can report the entry instead of mangling it.
   */
  encode(text: string): number[] | null {
    const words = text.toLowerCase().trim().split(/\s+/).filter((w) => w !== '');
    const boundary = this.id(WORD_BOUNDARY);
    const ids: number[] = [];
    for (const [i, word] of words.entries()) {
      if (i > 0 && boundary !== undefined) ids.push(boundary);
      for (const ch of word) {
        const id = this.id(ch);
        if (id === undefined) return null;
        ids.push(id);
      }
    }
    return ids;
  }
}
