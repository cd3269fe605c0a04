import type { EndpointOutcome } from '@shared/domain/endpoint';
import type { DatasetAnalysis, DatasetSummary } from '@shared/domain/workbench';
import { parseFilter } from './row-filter';

/** One line of the data-set sidebar. Numbers are null until the data set is analysed. */
export interface UtteranceRow {
  id: string;
  durationS: number | null;
  text: string;
  hyp: string;
  wer: number | null;
  /** Oracle WER of the lattice (the fewest errors of any path) and of the n-best list. */
  oracleWer: number | null;
  nbestOracleWer: number | null;
  /** Final end-pointer latency (s) under the session's knobs; a no-fire's counts at the no-fire time. */
  latencyS: number | null;
  /** Whether the final end-pointer fired; null until analysed. */
  fired: boolean | null;
  /** Speculative end-pointer latency (s). */
  specLatencyS: number | null;
  cutOff: boolean | null;
}

export type SortKey = 'id' | 'durationS' | 'wer' | 'oracleWer' | 'latencyS' | 'cutOff';

interface RowSources {
  dataset?: DatasetSummary;
  datasetAnalysis?: DatasetAnalysis;
  sessionOutcomes: Record<string, EndpointOutcome>;
  table: { sortKey: SortKey; descending: boolean; filter: string };
}

export function buildRows({ dataset, datasetAnalysis, sessionOutcomes }: RowSources): UtteranceRow[] {
  if (!dataset) return [];
  const summaries = new Map((datasetAnalysis?.utterances ?? []).map((s) => [s.id, s]));
  return dataset.utterances.map((u) => {
    const summary = summaries.get(u.id);
    const outcome = sessionOutcomes[u.id] ?? summary?.endpoints;
    const oracle = summary?.oracle;
    const stated = u.durationS ?? (u.endS !== undefined ? u.endS - (u.startS ?? 0) : null);
    return {
      id: u.id,
      durationS: summary?.durationS ?? stated,
      text: u.text ?? '',
      hyp: summary?.hyp ?? '',
      wer: summary?.errors?.wer ?? null,
      oracleWer: oracle && oracle.words > 0 ? oracle.latticeErrors / oracle.words : null,
      nbestOracleWer: oracle && oracle.words > 0 ? oracle.nbestErrors / oracle.words : null,
      latencyS: outcome?.final.latencyS ?? null,
      fired: outcome ? outcome.final.fired : null,
      specLatencyS: outcome?.speculative.latencyS ?? null,
      cutOff: outcome ? outcome.final.cutOff : null,
    };
  });
}

/**
 * The sidebar's rows in its current order, filtered by the filter language (row-filter.ts).
 * While the filter does not parse, every row stays: the field says why beside it.
 */
export function sortAndFilter(sources: RowSources): UtteranceRow[] {
  const { sortKey, descending, filter } = sources.table;
  const parsed = parseFilter(filter);
  const all = buildRows(sources);
  const rows = parsed.ok ? all.filter(parsed.test) : all;
  const value = (r: UtteranceRow): number | string => {
    const v = r[sortKey];
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    return v ?? -Infinity;
  };
  rows.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const order = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y, undefined, { numeric: true }) : Number(x) - Number(y);
    return descending ? -order : order;
  });
  return rows;
}
