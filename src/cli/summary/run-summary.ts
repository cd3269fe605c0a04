/**
 * The few lines `decode`, `analyze` and `sweep` print when they finish: how many utterances,
 * how many failed, the corpus WER and the end-pointers' figures.
 */
import type { LatticeTotals } from '@shared/domain/decode';
import type { EndpointMetrics } from '@shared/domain/endpoint';

export interface RunTotals {
  utterances: number;
  failed: number;
  /** Summed over utterances with a reference; null when none has one. */
  words: { errors: number; referenceWords: number; utterances: number } | null;
  endpoints: EndpointMetrics | null;
  /** Absent for outputs without lattices (a sweep's traces). */
  lattice?: LatticeTotals | null;
}

const percent = (x: number): string => `${(100 * x).toFixed(1)} %`;
const ms = (s: number | null): string => (s === null ? '–' : `${Math.round(s * 1000)} ms`);

export function formatRunSummary(totals: RunTotals): string[] {
  const lines: string[] = [];
  const { words, endpoints } = totals;
  if (words && words.referenceWords > 0) {
    lines.push(`WER ${percent(words.errors / words.referenceWords)} (${words.errors} errors in ${words.referenceWords} reference words, ${words.utterances} utterances with a reference)`);
  } else if (totals.utterances > totals.failed) {
    lines.push('WER: no utterance has a reference transcript');
  }
  const lattice = totals.lattice;
  if (lattice && lattice.oracle && lattice.oracle.words > 0) {
    const { oracle } = lattice;
    lines.push(
      `oracle WER: n-best ${percent(oracle.nbestErrors / oracle.words)}, lattice ${percent(oracle.latticeErrors / oracle.words)} (the fewest errors any entry or path makes; ${oracle.words} reference words)`,
    );
  }
  if (lattice && lattice.utterances > 0) {
    const share = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(2)} %`);
    lines.push(
      `lattices: ${lattice.arcsPerS.toFixed(1)} arcs/s; gzipped SLF against 16-bit PCM p50 ${share(lattice.gzToPcmP50)}, p90 ${share(lattice.gzToPcmP90)}; against Opus at 24 kbit/s (nominal bitrate × duration) p90 ${share(lattice.gzToOpusP90)}`,
    );
  }
  if (totals.failed > 0) lines.push(`failed: ${totals.failed} of ${totals.utterances} utterances (their lines say why); WER and end-pointer figures leave them out`);
  if (endpoints && endpoints.utterances > 0) {
    const { final, speculative } = endpoints;
    lines.push(
      `end-pointers over ${endpoints.utterances} utterances: final p50 ${ms(final.latencyP50S)}, p90 ${ms(final.latencyP90S)}, cut-off ${percent(final.cutoffRate)}, never fired ${percent(final.noFireRate)}; ` +
        `speculative p50 ${ms(speculative.latencyP50S)}, cut-off ${percent(speculative.cutoffRate)}`,
    );
  }
  return lines;
}
