/**
 * An ARPA file over the recogniser's tokens, read into columns: per listed n-gram its key (token ids as
 * digits, the newest lowest), length, log10 P and log10 back-off. Lines naming a symbol the recogniser
 * cannot emit (</s>, <unk>) are counted for the section check and otherwise skipped; <s> is kept as a
 * history. A 6-gram over characters lists about half a million n-grams, so nothing here is per n-gram
 * objects.
 */
import type { TokenTable } from '../asr/tokens';

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
  const lines = text.split('\n');
  let i = lines.findIndex((l) => l.trim() === '\\data\\');
  if (i < 0) throw new Error(`${source} is not an ARPA language model (no \\data\\ section)`);
  const counts: number[] = [];
  for (i++; i < lines.length && lines[i].trim() !== ''; i++) {
    const m = /^ngram (\d+)\s*=\s*(\d+)$/.exec(lines[i].trim());
    if (!m) throw new Error(`${source}:${i + 1}: expected "ngram N=COUNT", found "${lines[i].trim()}"`);
    counts[Number(m[1]) - 1] = Number(m[2]);
  }
  const order = counts.length;
  if (order === 0) throw new Error(`${source}: the \\data\\ section lists no n-gram counts`);
  const base = keyDigitsBase(tokens);
  if (Math.pow(base, order - 1) * base > Number.MAX_SAFE_INTEGER) {
    throw new Error(`${source}: a ${order}-gram over ${tokens.size} tokens is too long for this runtime (at most ${Math.floor(53 / Math.log2(base))}-grams)`);
  }
  const total = counts.reduce((a, b) => a + (b ?? 0), 0);
  const out: TokenArpa = { order, base, count: 0, keys: new Float64Array(total), lengths: new Uint8Array(total), log10p: new Float32Array(total), log10bo: new Float32Array(total) };
  const digit = new Map<string, number>(tokens.symbols.map((s, id) => [s, id + 1]));
  digit.set(BOS, tokens.size + 1);

  let n = 0;
  let seen = 0;
  const close = (): void => {
    if (n > 0 && seen !== counts[n - 1]) throw new Error(`${source}: \\data\\ promises ${counts[n - 1]} ${n}-grams, the section holds ${seen}`);
  };
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (line.startsWith('\\')) {
      close();
      const m = /^\\(\d+)-grams:$/.exec(line);
      if (m) {
        n = Number(m[1]);
        seen = 0;
      } else if (line === '\\end\\') break;
      continue;
    }
    if (n === 0) throw new Error(`${source}:${i + 1}: an n-gram line before any \\N-grams: section`);
    const f = line.split(/\s+/);
    if (f.length !== n + 1 && f.length !== n + 2) throw new Error(`${source}:${i + 1}: a ${n}-gram line needs a log-probability, ${n} token(s) and an optional back-off`);
    const log10p = f[0] === '-inf' ? -99 : Number(f[0]);
    const log10bo = f.length === n + 2 ? Number(f[n + 1]) : 0;
    if (!Number.isFinite(log10p) || !Number.isFinite(log10bo)) throw new Error(`${source}:${i + 1}: "${line}" holds a number that is not one`);
    seen++;
    if (n === 1 && f[1] === '<unk>') out.unkLog10 = log10p;
    let key = 0;
    for (let k = 1; k <= n && key >= 0; k++) {
      const d = digit.get(f[k]);
      key = d === undefined ? -1 : key * base + d;
    }
    if (key < 0) continue;
    const at = out.count++;
    out.keys[at] = key;
    out.lengths[at] = n;
    out.log10p[at] = log10p;
    out.log10bo[at] = log10bo;
  }
  close();
  return out;
}
