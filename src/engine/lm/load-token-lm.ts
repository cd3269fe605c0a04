/**
 * Opens a token LM for fusion: an ARPA file over the recogniser's tokens, plain or gzipped (`.arpa.gz`).
 * It reads the n-gram lines straight into the token LM's form rather than through parseArpa's map of
 * every n-gram by name: a 6-gram over characters lists about half a million.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { TokenTable } from '../asr/tokens';
import { TokenLm, type TokenNgram } from './token-lm';

export function loadTokenLm(path: string, tokens: TokenTable): TokenLm {
  const bytes = readFileSync(path);
  const text = (/\.gz$/i.test(path) ? gunzipSync(bytes) : bytes).toString('utf8');
  return new TokenLm(readTokenArpa(text, path), tokens);
}

/** The n-grams of an ARPA text, in file order; the counts the \data\ section promises are checked. */
export function readTokenArpa(text: string, source: string): { order: number; grams: TokenNgram[] } {
  const lines = text.split('\n');
  let i = lines.findIndex((l) => l.trim() === '\\data\\');
  if (i < 0) throw new Error(`${source} is not an ARPA language model (no \\data\\ section)`);
  const counts: number[] = [];
  for (i++; i < lines.length && lines[i].trim() !== ''; i++) {
    const m = /^ngram (\d+)\s*=\s*(\d+)$/.exec(lines[i].trim());
    if (!m) throw new Error(`${source}:${i + 1}: expected "ngram N=COUNT", found "${lines[i].trim()}"`);
    counts[Number(m[1]) - 1] = Number(m[2]);
  }
  const grams: TokenNgram[] = [];
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
    grams.push({ symbols: f.slice(1, n + 1), log10p, log10bo });
    seen++;
  }
  close();
  if (counts.length === 0) throw new Error(`${source}: the \\data\\ section lists no n-gram counts`);
  return { order: counts.length, grams };
}
