/**
 * How tokens make words: a token whose symbol starts with `▁` begins a new word (the lone `▁`
 * of a character vocabulary, or a sentencepiece piece such as `▁the`); the rest of the symbol
 * is the word's text.
 */
import { WORD_BOUNDARY, type TokenTable } from '../asr/tokens';

export class WordPieces {
  private readonly starts: boolean[];
  private readonly texts: string[];

  constructor(tokens: Pick<TokenTable, 'symbols'>) {
    this.starts = tokens.symbols.map((s) => s.startsWith(WORD_BOUNDARY));
    this.texts = tokens.symbols.map((s) => (s.startsWith(WORD_BOUNDARY) ? s.slice(WORD_BOUNDARY.length) : s));
  }

  startsWord(id: number): boolean {
    return this.starts[id] ?? false;
  }

  text(id: number): string {
    return this.texts[id] ?? '';
  }

  /** Ids of the word-starting tokens, for a search that asks "could a word end here?". */
  wordStartIds(): Int32Array {
    return Int32Array.from(this.starts.flatMap((s, id) => (s ? [id] : [])));
  }
}
