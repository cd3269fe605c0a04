import type { ComparedUtterance } from '@shared/domain/compare';

/** Which rows of the A/B table to show. */
export type RowFilter = 'all' | 'worse' | 'better' | 'changed' | 'cutoff';

export const ROW_FILTERS: { id: RowFilter; label: string }[] = [
  { id: 'all', label: 'all utterances' },
  { id: 'worse', label: 'B worse than A' },
  { id: 'better', label: 'B better than A' },
  { id: 'changed', label: 'hypotheses differ' },
  { id: 'cutoff', label: 'cut-off differs' },
];

const tests: Record<RowFilter, (r: ComparedUtterance) => boolean> = {
  all: () => true,
  worse: (r) => r.verdict === 'worse',
  better: (r) => r.verdict === 'better',
  changed: (r) => r.wordsChanged > 0,
  cutoff: (r) => r.cutOffA !== r.cutOffB,
};

export function filterRows(rows: readonly ComparedUtterance[], filter: RowFilter): ComparedUtterance[] {
  return rows.filter(tests[filter]);
}

/** B − A of a per-utterance figure, null when either is missing. */
export function difference(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : b - a;
}
