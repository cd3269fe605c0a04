export type DiffOp = { kind: 'same' | 'added' | 'removed'; word: string };

/**
 * Word-level diff of two hypotheses (longest common subsequence), for "what changed" after
 * a re-run. Hypotheses are short (a sentence), so the O(n·m) table is fine.
 */
export function diffWords(before: string, after: string): DiffOp[] {
  const a = before.split(/\s+/).filter(Boolean);
  const b = after.split(/\s+/).filter(Boolean);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      ops.push({ kind: 'same', word: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      ops.push({ kind: 'removed', word: a[i++] });
    } else {
      ops.push({ kind: 'added', word: b[j++] });
    }
  }
  while (i < a.length) ops.push({ kind: 'removed', word: a[i++] });
  while (j < b.length) ops.push({ kind: 'added', word: b[j++] });
  return ops;
}
