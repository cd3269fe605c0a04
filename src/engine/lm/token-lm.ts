/**
 * A token-level n-gram model (an ARPA file whose words are the recogniser's tokens, as
 * training/lm/token_ngram.py writes) in the form beam search asks it: a state per hypothesis and, for a
 * state, the natural-log P(token | tokens so far) of every token id at once.
 *
 * At load every listed history gets a dense row over the vocabulary, filled by ARPA's back-off rule, so
 * the search's question is an array read. A state is the row of the longest listed suffix of the tokens
 * so far (ARPA's listings are prefix-closed, so that suffix is found from the previous state alone);
 * moving a state by a token is a few map lookups, remembered.
 */
import { OOV_LOG10 } from './arpa';
import type { TokenTable } from '../asr/tokens';

/** One ARPA line: the tokens (oldest first), log10 P of the last after the others, log10 back-off as a history. */
export interface TokenNgram {
  symbols: string[];
  log10p: number;
  log10bo: number;
}

const BOS = '<s>';

export class TokenLm {
  /** The state after <s>: where every utterance starts. */
  readonly start: number;
  private readonly vocabSize: number;
  /** Row r's natural-log probabilities: rows[r * vocabSize + token]. */
  private readonly rows: Float32Array;
  /** Listed history (as a key, see keyOf) → its row; and each row's key and length. */
  private readonly rowOf = new Map<number, number>();
  private readonly keys: number[] = [];
  private readonly lengths: number[] = [];
  /** Remembered moves: next[r * vocabSize + token], −1 until asked. */
  private readonly next: Int32Array;
  /** Key digits: symbol id + 1 (0 never appears), base = number of symbols + 2. */
  private readonly base: number;

  constructor(arpa: { order: number; grams: readonly TokenNgram[] }, tokens: TokenTable) {
    this.vocabSize = tokens.size;
    this.base = tokens.size + 2;
    if (arpa.order < 2) throw new Error('a token LM for fusion needs an order of at least 2');
    if (Math.pow(this.base, arpa.order - 1) > Number.MAX_SAFE_INTEGER) {
      throw new Error(`a ${arpa.order}-gram over ${tokens.size} tokens is too long a history for this runtime (at most ${Math.floor(53 / Math.log2(this.base)) + 1}-grams)`);
    }
    const idOf = (symbol: string): number => (symbol === BOS ? tokens.size : (tokens.id(symbol) ?? -1));
    const unk = arpa.grams.find((g) => g.symbols.length === 1 && g.symbols[0] === '<unk>');
    const floor = (unk?.log10p ?? OOV_LOG10) * Math.LN10;

    // Histories are the listed n-grams shorter than the order (every one of them may be one), grouped by length.
    const byLength: Array<Array<{ ids: number[]; backoff: number }>> = Array.from({ length: arpa.order }, () => []);
    const listed: Array<{ history: number[]; token: number; logProb: number }> = [];
    for (const { symbols, log10p, log10bo } of arpa.grams) {
      const ids = symbols.map(idOf);
      if (ids.some((id) => id < 0)) continue; // </s>, <unk> or a word the recogniser cannot emit
      if (ids.length < arpa.order) byLength[ids.length].push({ ids, backoff: log10bo * Math.LN10 });
      const token = ids[ids.length - 1];
      if (token < tokens.size) listed.push({ history: ids.slice(0, -1), token, logProb: log10p * Math.LN10 });
    }
    const count = 1 + byLength.reduce((n, g) => n + g.length, 0);
    this.rows = new Float32Array(count * this.vocabSize).fill(floor);
    this.next = new Int32Array(count * this.vocabSize).fill(-1);
    this.addRow([], 0);
    const backoffOf: number[] = [0];
    for (const group of byLength) {
      for (const { ids, backoff } of group) backoffOf[this.addRow(ids, this.keyOf(ids))] = backoff;
    }
    const listedAfter = new Map<number, Array<[number, number]>>();
    for (const { history, token, logProb } of listed) {
      const row = this.rowOf.get(this.keyOf(history));
      if (row === undefined) continue; // its history is not listed: ARPA files that prune so are not well formed
      const entries = listedAfter.get(row) ?? [];
      entries.push([token, logProb]);
      listedAfter.set(row, entries);
    }
    // Rows in order of history length, so the shorter history's row is complete when a longer one copies it.
    for (let row = 0; row < count; row++) {
      const to = row * this.vocabSize;
      if (row > 0) {
        const from = this.longestListedSuffix(this.keys[row], this.lengths[row] - 1) * this.vocabSize;
        for (let v = 0; v < this.vocabSize; v++) this.rows[to + v] = backoffOf[row] + this.rows[from + v];
      }
      for (const [token, logProb] of listedAfter.get(row) ?? []) this.rows[to + token] = logProb;
    }
    const start = this.rowOf.get(this.keyOf([tokens.size]));
    if (start === undefined) throw new Error('the token LM does not list <s>, so it cannot start an utterance');
    this.start = start;
  }

  /** ln P(token | state) for every token id (blank and tokens the LM lacks hold its floor). */
  row(state: number): Float32Array {
    return this.rows.subarray(state * this.vocabSize, (state + 1) * this.vocabSize);
  }

  logProb(state: number, token: number): number {
    return this.rows[state * this.vocabSize + token];
  }

  /** The state after `token`. */
  advance(state: number, token: number): number {
    const at = state * this.vocabSize + token;
    let to = this.next[at];
    if (to < 0) {
      to = this.longestListedSuffix(this.keys[state] * this.base + token + 1, this.lengths[state] + 1);
      this.next[at] = to;
    }
    return to;
  }

  private addRow(ids: number[], key: number): number {
    const row = this.keys.length;
    this.keys.push(key);
    this.lengths.push(ids.length);
    this.rowOf.set(key, row);
    return row;
  }

  /** The row of the longest listed suffix of the history `key` (of `length` symbols, newest in the lowest digit). */
  private longestListedSuffix(key: number, length: number): number {
    for (let n = length; n > 0; n--) {
      const k = key % Math.pow(this.base, n);
      const row = this.rowOf.get(k);
      if (row !== undefined) return row;
    }
    return 0;
  }

  private keyOf(ids: readonly number[]): number {
    let key = 0;
    for (const id of ids) key = key * this.base + id + 1;
    return key;
  }
}
