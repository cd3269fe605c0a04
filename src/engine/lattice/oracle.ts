/**
 * Oracle error rates: how few word errors the best path of the n-best list, and of the whole
 * lattice, makes against the reference. They bound what any rescoring of them could reach.
 */
import type { Lattice, OracleErrors } from '../../shared/domain/decode';
import { normalizeWords, wordErrors } from '../metrics/wer';

/**
 * Minimum word edit distance over all start→end paths of the lattice: a DP over the DAG ×
 * reference positions. cost[node][j] is the fewest errors of a path from the start to `node`
 * that has accounted for the first j reference words. O(arcs × reference words).
 */
export function latticeOracleErrors(lattice: Lattice, reference: string | readonly string[]): number {
  const ref = typeof reference === 'string' ? normalizeWords(reference) : reference;
  const width = ref.length + 1;
  const cost: (Int32Array | undefined)[] = new Array(lattice.nodes.length);
  const first = new Int32Array(width);
  for (let j = 0; j < width; j++) first[j] = j; // deleting the first j reference words
  cost[lattice.start] = first;
  // Node ids are topological, so arcs taken by source node see their source finished.
  const arcs = [...lattice.arcs].sort((a, b) => a.from - b.from);
  const wordsOf = new Map<string, string[]>();
  for (const arc of arcs) {
    const from = cost[arc.from];
    if (!from) continue;
    let words = wordsOf.get(arc.word);
    if (!words) wordsOf.set(arc.word, (words = normalizeWords(arc.word)));
    let row = from;
    for (const word of words) row = afterWord(row, word, ref);
    const into = cost[arc.to];
    if (!into) cost[arc.to] = row === from ? Int32Array.from(row) : row;
    else for (let j = 0; j < width; j++) if (row[j] < into[j]) into[j] = row[j];
  }
  const end = cost[lattice.end];
  if (!end) throw new Error('the lattice has no path from its start to its end');
  return end[ref.length];
}

/** The next DP row after a path emits `word`: match/substitute, insert it, or delete reference words. */
function afterWord(row: Int32Array, word: string, ref: readonly string[]): Int32Array {
  const next = new Int32Array(row.length);
  next[0] = row[0] + 1;
  for (let j = 1; j < row.length; j++) {
    next[j] = Math.min(row[j] + 1, row[j - 1] + (ref[j - 1] === word ? 0 : 1), next[j - 1] + 1);
  }
  return next;
}

/** The oracle errors of one decode against its reference. */
export function oracleErrors(reference: string, nbest: readonly string[], lattice: Lattice): OracleErrors {
  const ref = normalizeWords(reference);
  const nbestErrors = nbest.length > 0 ? Math.min(...nbest.map((text) => wordErrors(ref, text).errors)) : ref.length;
  return { words: ref.length, nbestErrors, latticeErrors: latticeOracleErrors(lattice, ref) };
}
