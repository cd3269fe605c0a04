/**
 * An ARPA file over the recogniser's tokens, read into columns: per listed n-gram its key (token ids as
 * digits, the newest lowest), length, log10 P and log10 back-off. Lines naming a symbol the recogniser
 * cannot emit (</s>, <unk>) are counted for the section check and otherwise skipped; <s> is kept as a
 * history. A 6-gram over characters lists about half a million n-grams, so they are kept as columns, not
 * objects.
 */
import type { TokenTable } from '../asr/tokens';
import { readArpaLines } from './arpa-lines';

export const BOS = '<s>';

export interface TokenArpa {
  order: number;
  /** Key digits are symbol id + 1, in this base (tokens, <s>, and 0 for none). */
  base: number;
  count: number;
  keys: Float64Array;
  lengths: Uint8Array;
  log10p: Float32Array;
  log10bo: Float32Array;
  /** log10 P of <unk> when the file lists it. */
  unkLog10?: number;
}

export function keyDigitsBase(tokens: TokenTable): number {
  return tokens.size + 2;
}

export function readTokenArpa(text: string, source: string, tokens: TokenTable): TokenArpa {
  const base = keyDigitsBase(tokens);
  const digit = new Map<string, number>(tokens.symbols.map((s, id) => [s, id + 1]));
  digit.set(BOS, tokens.size + 1);
  let out: TokenArpa | undefined;
  const sized = (counts: readonly number[]): void => {
    const order = counts.length;
    if (Math.pow(base, order - 1) * base > Number.MAX_SAFE_INTEGER) {
      throw new Error(`${source}: a ${order}-gram over ${tokens.size} tokens is too long for this runtime (at most ${Math.floor(53 / Math.log2(base))}-grams)`);
    }
    const total = counts.reduce((a, b) => a + (b ?? 0), 0);
    out = { order, base, count: 0, keys: new Float64Array(total), lengths: new Uint8Array(total), log10p: new Float32Array(total), log10bo: new Float32Array(total) };
  };
  readArpaLines(text, source, sized, (n, words, log10p, log10bo) => {
    const to = out as TokenArpa;
    if (n === 1 && words[0] === '<unk>') to.unkLog10 = log10p;
    let key = 0;
    for (let k = 0; k < n && key >= 0; k++) {
      const d = digit.get(words[k]);
      key = d === undefined ? -1 : key * base + d;
    }
    if (key < 0) return; // </s>, <unk> or a word the recogniser cannot emit
    const at = to.count++;
    to.keys[at] = key;
    to.lengths[at] = n;
    to.log10p[at] = log10p;
    to.log10bo[at] = log10bo;
  });
  return out as TokenArpa;
}
