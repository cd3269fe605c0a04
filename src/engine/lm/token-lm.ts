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
import type { TokenArpa } from './token-arpa';

export class TokenLm {
  /** The state after <s>: where every utterance starts. */
  readonly start: number;
  /** Row r's natural-log probabilities: rows[r * vocabSize + token]. */
  private readonly rows: Float32Array;
  /** Listed history (as a key) → its row; and each row's key and length. */
  private readonly rowOf = new Map<number, number>();
  private readonly keys: Float64Array;
  private readonly lengths: Uint8Array;
  /** Remembered moves: next[r * vocabSize + token], −1 until asked. */
  private readonly next: Int32Array;
  private readonly base: number;

  /** `vocabSize`: the recogniser's tokens (ids 0 … vocabSize − 1); <s> is the digit after them. */
  constructor(
    arpa: TokenArpa,
    private readonly vocabSize: number,
  ) {
    if (arpa.order < 2) throw new Error('a token LM for fusion needs an order of at least 2');
    this.base = arpa.base;
    const floor = (arpa.unkLog10 ?? OOV_LOG10) * Math.LN10;

    // Histories: the listed n-grams shorter than the order, by length (a row copies a shorter one's).
    const histories: number[] = [];
    for (let n = 1; n < arpa.order; n++) {
      for (let g = 0; g < arpa.count; g++) if (arpa.lengths[g] === n) histories.push(g);
    }
    const count = 1 + histories.length;
    this.keys = new Float64Array(count);
    this.lengths = new Uint8Array(count);
    this.rowOf.set(0, 0);
    const backoff = new Float32Array(count);
    histories.forEach((g, i) => {
      this.keys[i + 1] = arpa.keys[g];
      this.lengths[i + 1] = arpa.lengths[g];
      backoff[i + 1] = arpa.log10bo[g] * Math.LN10;
      this.rowOf.set(arpa.keys[g], i + 1);
    });

    // What each history lists (CSR: entries of row r at first[r] … first[r + 1] − 1).
    const rowOfGram = new Int32Array(arpa.count).fill(-1);
    const first = new Int32Array(count + 1);
    for (let g = 0; g < arpa.count; g++) {
      const token = (arpa.keys[g] % this.base) - 1;
      if (token >= vocabSize) continue; // <s> is a history, never predicted
      // its history is not listed: an ARPA file pruned so is not well formed, and its line cannot be placed
      const row = this.rowOf.get(Math.floor(arpa.keys[g] / this.base)) ?? -1;
      rowOfGram[g] = row;
      if (row >= 0) first[row + 1]++;
    }
    for (let r = 0; r < count; r++) first[r + 1] += first[r];
    const fill = first.slice(0, count);
    const entryToken = new Int32Array(first[count]);
    const entryLogProb = new Float32Array(first[count]);
    for (let g = 0; g < arpa.count; g++) {
      const row = rowOfGram[g];
      if (row < 0) continue;
      const at = fill[row]++;
      entryToken[at] = (arpa.keys[g] % this.base) - 1;
      entryLogProb[at] = arpa.log10p[g] * Math.LN10;
    }

    this.rows = new Float32Array(count * vocabSize).fill(floor);
    this.next = new Int32Array(count * vocabSize).fill(-1);
    for (let row = 0; row < count; row++) {
      const to = row * vocabSize;
      if (row > 0) {
        const from = this.longestListedSuffix(this.keys[row], this.lengths[row] - 1) * vocabSize;
        for (let v = 0; v < vocabSize; v++) this.rows[to + v] = backoff[row] + this.rows[from + v];
      }
      for (let e = first[row]; e < first[row + 1]; e++) this.rows[to + entryToken[e]] = entryLogProb[e];
    }
    const start = this.rowOf.get(vocabSize + 1);
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

  /** The row of the longest listed suffix of the history `key` (of `length` symbols, newest in the lowest digit). */
  private longestListedSuffix(key: number, length: number): number {
    for (let n = length; n > 0; n--) {
      const row = this.rowOf.get(key % Math.pow(this.base, n));
      if (row !== undefined) return row;
    }
    return 0;
  }
}
