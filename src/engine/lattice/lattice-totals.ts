/**
 * A data set's lattice figures from its utterances': arcs per second of audio, the gzipped
 * lattice against 16-bit PCM and 24 kbit/s Opus (p50/p90 of the per-utterance ratios), and the
 * oracle errors summed. One definition for the CLI summaries, the workbench and the benchmark.
 */
import type { Bandwidth, LatticeTotals, OracleErrors } from '../../shared/domain/decode';
import { percentile } from '../endpoint/metrics';

export interface UtteranceLatticeFigures {
  arcs: number;
  durationS: number;
  bandwidth: Bandwidth;
  oracle: OracleErrors | null;
}

export function latticeTotalsOf(items: readonly UtteranceLatticeFigures[]): LatticeTotals {
  const arcs = items.reduce((n, u) => n + u.arcs, 0);
  const seconds = items.reduce((n, u) => n + u.durationS, 0);
  const sized = items.filter((u) => u.bandwidth.latticeGzBytes !== null && u.bandwidth.pcm16Bytes > 0);
  const ratios = (of: (b: Bandwidth) => number): number[] => sized.map((u) => (u.bandwidth.latticeGzBytes as number) / of(u.bandwidth)).sort((a, b) => a - b);
  const toPcm = ratios((b) => b.pcm16Bytes);
  const toOpus = ratios((b) => b.opus24kBytes);
  const scored = items.flatMap((u) => (u.oracle ? [u.oracle] : []));
  return {
    utterances: items.length,
    arcsPerS: seconds > 0 ? arcs / seconds : 0,
    gzToPcmP50: percentile(toPcm, 0.5),
    gzToPcmP90: percentile(toPcm, 0.9),
    gzToOpusP90: percentile(toOpus, 0.9),
    oracle:
      scored.length > 0
        ? {
            utterances: scored.length,
            words: scored.reduce((n, o) => n + o.words, 0),
            nbestErrors: scored.reduce((n, o) => n + o.nbestErrors, 0),
            latticeErrors: scored.reduce((n, o) => n + o.latticeErrors, 0),
          }
        : null,
  };
}
