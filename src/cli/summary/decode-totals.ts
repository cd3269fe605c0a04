import type { EndpointOutcome } from '@shared/domain/endpoint';
import type { EndpointConfigPair } from '@engine/endpoint/dual-endpointer';
import { summarizeOutcomes, utteranceOutcome } from '@engine/endpoint/metrics';
import { utteranceFromResultLine, type DecodeResultLine } from '@engine/endpoint/sweep-results-file';
import { wordErrors } from '@engine/metrics/wer';
import { latticeTotalsOf, type UtteranceLatticeFigures } from '@engine/lattice/lattice-totals';
import type { ResultLine } from '@engine/dataset/result-line';
import { scanJsonlLines } from '../read-jsonl';
import type { RunTotals } from './run-summary';

type Line = DecodeResultLine & Partial<Pick<ResultLine, 'lattice_arcs' | 'bandwidth' | 'oracle' | 'duration_s'>> & { error?: string; text?: string; hyp?: string };

/** The lattice figures of a line; null for lines written before decode lines carried them. */
function latticeFiguresOf(line: Line): UtteranceLatticeFigures | null {
  const { bandwidth, lattice_arcs: arcs, duration_s: durationS } = line;
  if (!bandwidth || arcs === undefined || durationS === undefined) return null;
  return {
    arcs,
    durationS,
    bandwidth: {
      latticeBytes: bandwidth.lattice_slf_bytes,
      latticeGzBytes: bandwidth.lattice_gz_bytes,
      pcm16Bytes: bandwidth.pcm16_bytes,
      opus24kBytes: bandwidth.opus24k_bytes,
      arcsPerS: durationS > 0 ? arcs / durationS : 0,
    },
    oracle: line.oracle ? { words: line.oracle.words, nbestErrors: line.oracle.nbest_errors, latticeErrors: line.oracle.lattice_errors } : null,
  };
}

/**
 * The totals of a whole results file, resumed lines included, read line by line so only
 * each utterance's outcome is kept. End-pointers are scored with `pair`, as decode ran them.
 */
export async function decodeFileTotals(path: string, pair: EndpointConfigPair): Promise<RunTotals> {
  const totals: RunTotals = { utterances: 0, failed: 0, words: null, endpoints: null };
  const outcomes: EndpointOutcome[] = [];
  const lattices: UtteranceLatticeFigures[] = [];
  let errors = 0;
  let referenceWords = 0;
  let referenced = 0;
  await scanJsonlLines(path, (text) => {
    const line = JSON.parse(text) as Line;
    totals.utterances += 1;
    if (line.error) {
      totals.failed += 1;
      return;
    }
    if (typeof line.text === 'string') {
      const e = wordErrors(line.text, line.hyp ?? '');
      errors += e.errors;
      referenceWords += e.referenceWords;
      referenced += 1;
    }
    const figures = latticeFiguresOf(line);
    if (figures) lattices.push(figures);
    if (line.trace) outcomes.push(utteranceOutcome(utteranceFromResultLine(line, totals.utterances - 1), pair));
  });
  if (referenced > 0) totals.words = { errors, referenceWords, utterances: referenced };
  if (outcomes.length > 0) totals.endpoints = summarizeOutcomes(outcomes);
  if (lattices.length > 0) totals.lattice = latticeTotalsOf(lattices);
  return totals;
}
