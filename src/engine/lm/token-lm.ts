/**
 * A token-level n-gram model (an ARPA file whose words are the recogniser's tokens, as
 * training/lm/token_ngram.py writes) in the form beam search asks it: a state per hypothesis and, for a
 * state, the natural-log P(token | tokens so far) of every token id at once.
 *
 * A state is a listed history: the longest listed suffix of the tokens so far (ARPA's listings are
 * prefix-closed, so that suffix is found from the previous state alone). A state's row over the
 * vocabulary is ARPA's back-off rule: its back-off weight plus its longest listed suffix's row, with
 * what it lists itself put in. Rows are made when a search first asks for them and kept while few:
 * a decode visits a few thousand states, and a 6-gram lists 180,000 histories (a row and a table of
 * moves for every one of them took 88 MB of heap per loaded model, a 7-gram's 196 MB; now 24 and 57).
 */
import { OOV_LOG10 } from './arpa';
import type { TokenArpa } from './token-arpa';

/** Rows and moves kept at most (about 7 MB of rows); past that the memory starts over. */
const MAX_REMEMBERED = 1 << 16;

export class TokenLm {
  /** The state after <s>: where every utterance starts. */
  readonly start: number;
  /** State s's history as a key (digits = symbol id + 1, newest lowest; ascending, so searchable), and its length. */
  private readonly keys: Float64Array;
  private readonly lengths: Uint8Array;
  /** ln of each state's back-off weight. */
  private readonly backoff: Float32Array;
  /** What each state lists (CSR: entries of state s at first[s] … first[s + 1] − 1), natural log. */
  private readonly first: Int32Array;
  private readonly entryToken: Int32Array;
  private readonly entryLogProb: Float32Array;
  private readonly floor: number;
  private readonly base: number;
  private readonly rows = new Map<number, Float32Array>();
  /** Remembered moves: state × vocabSize + token → state. */
  private readonly moves = new Map<number, number>();

  /** `vocabSize`: the recogniser's tokens (ids 0 … vocabSize − 1); <s> is the digit after them. */
  constructor(
    arpa: TokenArpa,
    private readonly vocabSize: number,
  ) {
    if (arpa.order < 2) throw new Error('a token LM for fusion needs an order of at least 2');
    this.base = arpa.base;
    this.floor = (arpa.unkLog10 ?? OOV_LOG10) * Math.LN10;

    // States: the empty history and every listed n-gram shorter than the order, in key order.
    const grams: number[] = [];
    for (let g = 0; g < arpa.count; g++) if (arpa.lengths[g] < arpa.order) grams.push(g);
    grams.sort((a, b) => arpa.keys[a] - arpa.keys[b]);
    const count = 1 + grams.length;
    this.keys = new Float64Array(count);
    this.lengths = new Uint8Array(count);
    this.backoff = new Float32Array(count);
    grams.forEach((g, i) => {
      this.keys[i + 1] = arpa.keys[g];
      this.lengths[i + 1] = arpa.lengths[g];
      this.backoff[i + 1] = arpa.log10bo[g] * Math.LN10;
    });

    const stateOfGram = new Int32Array(arpa.count).fill(-1);
    this.first = new Int32Array(count + 1);
    for (let g = 0; g < arpa.count; g++) {
      const token = (arpa.keys[g] % this.base) - 1;
      if (token >= vocabSize) continue; // <s> is a history, never predicted
      // its history is not listed: an ARPA file pruned so is not well formed, and its line cannot be placed
      const state = arpa.lengths[g] === 1 ? 0 : this.stateOf(Math.floor(arpa.keys[g] / this.base));
      stateOfGram[g] = state;
      if (state >= 0) this.first[state + 1]++;
    }
    for (let s = 0; s < count; s++) this.first[s + 1] += this.first[s];
    const fill = this.first.slice(0, count);
    this.entryToken = new Int32Array(this.first[count]);
    this.entryLogProb = new Float32Array(this.first[count]);
    for (let g = 0; g < arpa.count; g++) {
      const state = stateOfGram[g];
      if (state < 0) continue;
      const at = fill[state]++;
      this.entryToken[at] = (arpa.keys[g] % this.base) - 1;
      this.entryLogProb[at] = arpa.log10p[g] * Math.LN10;
    }
    const start = this.stateOf(vocabSize + 1);
    if (start < 0) throw new Error('the token LM does not list <s>, so it cannot start an utterance');
    this.start = start;
  }

  /** ln P(token | state) for every token id (blank and tokens the LM lacks hold its floor). */
  row(state: number): Float32Array {
    let row = this.rows.get(state);
    if (!row) {
      row = this.makeRow(state);
      if (this.rows.size >= MAX_REMEMBERED) this.rows.clear();
      this.rows.set(state, row);
    }
    return row;
  }

  logProb(state: number, token: number): number {
    return this.row(state)[token];
  }

  /** The state after `token`. */
  advance(state: number, token: number): number {
    const at = state * this.vocabSize + token;
    let to = this.moves.get(at);
    if (to === undefined) {
      to = this.longestListedSuffix(this.keys[state] * this.base + token + 1, this.lengths[state] + 1);
      if (this.moves.size >= MAX_REMEMBERED) this.moves.clear();
      this.moves.set(at, to);
    }
    return to;
  }

  private makeRow(state: number): Float32Array {
    const row = new Float32Array(this.vocabSize);
    if (state === 0) row.fill(this.floor);
    else {
      const shorter = this.row(this.longestListedSuffix(this.keys[state], this.lengths[state] - 1));
      for (let v = 0; v < this.vocabSize; v++) row[v] = this.backoff[state] + shorter[v];
    }
    for (let e = this.first[state]; e < this.first[state + 1]; e++) row[this.entryToken[e]] = this.entryLogProb[e];
    return row;
  }

  /** The state of the longest listed suffix of the history `key` (of `length` symbols, newest in the lowest digit). */
  private longestListedSuffix(key: number, length: number): number {
    for (let n = length; n > 0; n--) {
      const state = this.stateOf(key % Math.pow(this.base, n));
      if (state >= 0) return state;
    }
    return 0;
  }

  /** The state listing history `key`, or −1 (binary search over the ascending keys). */
  private stateOf(key: number): number {
    let lo = 1;
    let hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid];
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
