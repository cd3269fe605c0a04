/**
 * The one reader of ARPA text (SRILM, KenLM, MITLM and training/lm/token_ngram.py write it): the \data\
 * counts, then every n-gram line of the \N-grams: sections in order, checked against those counts. What a
 * caller builds from the lines (a map by name for rescoring, typed columns for fusion) is its own.
 */

/** One n-gram line: its words (oldest first), log10 P (−99 for -inf, as ARPA tools write <s>) and log10 back-off (0 when absent). */
export type ArpaLine = (n: number, words: string[], log10p: number, log10bo: number) => void;

/** Reads the file's lines into `onLine`; returns the n-gram counts per order (the order is their length). */
export function readArpaLines(text: string, source: string, onCounts: (counts: readonly number[]) => void, onLine: ArpaLine): number[] {
  const lines = text.split(/\r?\n/);
  const fail = (i: number, why: string): never => {
    throw new Error(`${source}:${i + 1}: ${why}`);
  };
  let i = lines.findIndex((l) => l.trim() === '\\data\\');
  if (i < 0) throw new Error(`${source} is not an ARPA language model (no \\data\\ section)`);
  const counts: number[] = [];
  for (i++; i < lines.length && lines[i].trim() !== ''; i++) {
    const m = /^ngram (\d+)\s*=\s*(\d+)$/.exec(lines[i].trim());
    if (!m) fail(i, `expected "ngram N=COUNT", found "${lines[i].trim()}"`);
    counts[Number(m![1]) - 1] = Number(m![2]);
  }
  const order = counts.length;
  if (order === 0) throw new Error(`${source}: the \\data\\ section lists no n-gram counts`);
  onCounts(counts);
  for (let n = 1; n <= order; n++) {
    i = lines.findIndex((l, k) => k > i && l.trim() === `\\${n}-grams:`);
    if (i < 0) throw new Error(`${source}: no \\${n}-grams: section`);
    let seen = 0;
    for (i++; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '') continue;
      if (line.startsWith('\\')) break;
      const f = line.split(/\s+/);
      if (f.length !== n + 1 && f.length !== n + 2) fail(i, `a ${n}-gram line needs a log-probability, ${n} word(s) and an optional back-off`);
      const logp = Number(f[0]);
      const backoff = f.length === n + 2 ? Number(f[n + 1]) : 0;
      if (!Number.isFinite(logp) && f[0] !== '-inf') fail(i, `"${f[0]}" is not a log-probability`);
      if (!Number.isFinite(backoff)) fail(i, `"${f[n + 1]}" is not a back-off weight`);
      onLine(n, f.slice(1, n + 1), Number.isFinite(logp) ? logp : -99, backoff);
      seen++;
    }
    if (seen !== counts[n - 1]) throw new Error(`${source}: \\data\\ promises ${counts[n - 1]} ${n}-grams, the section holds ${seen}`);
    i--;
  }
  return counts;
}
