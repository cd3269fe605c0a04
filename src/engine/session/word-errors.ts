/** Word errors between a reference and a hypothesis, by Levenshtein alignment over words. */
export interface WordErrors {
  referenceWords: number;
  substitutions: number;
  deletions: number;
  insertions: number;
}

/** Lower case, punctuation other than apostrophes and hyphens inside words removed. */
export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\-\s]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

export function wordErrors(reference: string, hypothesis: string): WordErrors {
  const ref = normaliseWords(reference);
  const hyp = normaliseWords(hypothesis);
  // One row of the DP table at a time; each cell keeps its cost and the error mix on its best path.
  type Cell = { cost: number; s: number; d: number; i: number };
  let prev: Cell[] = hyp.map((_, j) => ({ cost: j + 1, s: 0, d: 0, i: j + 1 }));
  prev.unshift({ cost: 0, s: 0, d: 0, i: 0 });
  for (let r = 1; r <= ref.length; r++) {
    const row: Cell[] = [{ cost: r, s: 0, d: r, i: 0 }];
    for (let h = 1; h <= hyp.length; h++) {
      const diag = prev[h - 1];
      const same = ref[r - 1] === hyp[h - 1];
      const candidates: Cell[] = [
        { cost: diag.cost + (same ? 0 : 1), s: diag.s + (same ? 0 : 1), d: diag.d, i: diag.i },
        { cost: prev[h].cost + 1, s: prev[h].s, d: prev[h].d + 1, i: prev[h].i },
        { cost: row[h - 1].cost + 1, s: row[h - 1].s, d: row[h - 1].d, i: row[h - 1].i + 1 },
      ];
      row.push(candidates.reduce((best, c) => (c.cost < best.cost ? c : best)));
    }
    prev = row;
  }
  const last = prev[hyp.length];
  return { referenceWords: ref.length, substitutions: last.s, deletions: last.d, insertions: last.i };
}

/** (S + D + I) / N; null when the reference has no words (WER is undefined there). */
export function wordErrorRate(e: WordErrors): number | null {
  return e.referenceWords ? (e.substitutions + e.deletions + e.insertions) / e.referenceWords : null;
}
