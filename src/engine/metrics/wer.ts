/** Word error rate by Levenshtein alignment of words, with the error kinds counted. */
import type { WordErrorCounts } from '../../shared/domain/workbench';

export interface WordErrors extends WordErrorCounts {
  /** errors / referenceWords; 0 for an empty reference and hypothesis, Infinity for insertions into an empty one. */
  wer: number;
}

/**
 * Lower-cased words, punctuation other than in-word apostrophes and hyphens dropped, so that
 * "Hello, world." and "hello world" align without errors.
 */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s-]+/gu, ' ')
    .split(/\s+/)
    .map((word) => word.replace(/^['-]+|['-]+$/g, ''))
    .filter((word) => word.length > 0);
}

/**
 * Minimum edit alignment of `hypothesis` against `reference`. Among alignments of equal cost
 * the one with more substitutions wins, then more deletions: the usual sclite-like tie-break.
 * O(n·m) time, O(m) memory.
 */
export function wordErrors(reference: string | readonly string[], hypothesis: string | readonly string[]): WordErrors {
  const ref = typeof reference === 'string' ? normalizeWords(reference) : reference;
  const hyp = typeof hypothesis === 'string' ? normalizeWords(hypothesis) : hypothesis;
  const m = hyp.length;
  // Per cell: cost and the counts of the alignment that reached it; two rows suffice.
  let cost = new Int32Array(m + 1);
  let sub = new Int32Array(m + 1);
  let del = new Int32Array(m + 1);
  let ins = new Int32Array(m + 1);
  let nextCost = new Int32Array(m + 1);
  let nextSub = new Int32Array(m + 1);
  let nextDel = new Int32Array(m + 1);
  let nextIns = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) {
    cost[j] = j;
    ins[j] = j;
  }
  for (let i = 1; i <= ref.length; i++) {
    nextCost[0] = i;
    nextSub[0] = 0;
    nextDel[0] = i;
    nextIns[0] = 0;
    for (let j = 1; j <= m; j++) {
      const same = ref[i - 1] === hyp[j - 1];
      const diagonal = cost[j - 1] + (same ? 0 : 1);
      const up = cost[j] + 1; // deletion of ref[i-1]
      const left = nextCost[j - 1] + 1; // insertion of hyp[j-1]
      if (diagonal <= up && diagonal <= left) {
        nextCost[j] = diagonal;
        nextSub[j] = sub[j - 1] + (same ? 0 : 1);
        nextDel[j] = del[j - 1];
        nextIns[j] = ins[j - 1];
      } else if (up <= left) {
        nextCost[j] = up;
        nextSub[j] = sub[j];
        nextDel[j] = del[j] + 1;
        nextIns[j] = ins[j];
      } else {
        nextCost[j] = left;
        nextSub[j] = nextSub[j - 1];
        nextDel[j] = nextDel[j - 1];
        nextIns[j] = nextIns[j - 1] + 1;
      }
    }
    [cost, nextCost] = [nextCost, cost];
    [sub, nextSub] = [nextSub, sub];
    [del, nextDel] = [nextDel, del];
    [ins, nextIns] = [nextIns, ins];
  }
  return errorsOf(ref.length, m, sub[m], del[m], ins[m]);
}

/** Corpus WER: errors and words summed over utterances (not a mean of per-utterance WERs). */
export function corpusWordErrors(pairs: Iterable<{ reference: string; hypothesis: string }>): WordErrors {
  let refWords = 0;
  let hypWords = 0;
  let s = 0;
  let d = 0;
  let n = 0;
  for (const { reference, hypothesis } of pairs) {
    const e = wordErrors(reference, hypothesis);
    refWords += e.referenceWords;
    hypWords += e.hypothesisWords;
    s += e.substitutions;
    d += e.deletions;
    n += e.insertions;
  }
  return errorsOf(refWords, hypWords, s, d, n);
}

function errorsOf(referenceWords: number, hypothesisWords: number, substitutions: number, deletions: number, insertions: number): WordErrors {
  const errors = substitutions + deletions + insertions;
  return {
    referenceWords,
    hypothesisWords,
    substitutions,
    deletions,
    insertions,
    errors,
    wer: referenceWords > 0 ? errors / referenceWords : errors > 0 ? Infinity : 0,
  };
}
