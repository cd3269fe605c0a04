import type { EndpointOutcome } from '@shared/domain/endpoint';
import type { EndpointConfigPair } from '@engine/endpoint/dual-endpointer';
import { summarizeOutcomes, utteranceOutcome } from '@engine/endpoint/metrics';
import { utteranceFromResultLine, type DecodeResultLine } from '@engine/endpoint/sweep-results-file';
import { wordErrors } from '@engine/metrics/wer';
import { scanJsonlLines } from '../read-jsonl';
import type { RunTotals } from './run-summary';

type Line = DecodeResultLine & { error?: string; text?: string; hyp?: string };

/**
 * The totals of a whole results file, resumed lines included, read line by line so only
 * each utterance's outcome is kept. End-pointers are scored with `pair`, as decode ran them.
 */
export async function decodeFileTotals(path: string, pair: EndpointConfigPair): Promise<RunTotals> {
  const totals: RunTotals = { utterances: 0, failed: 0, words: null, endpoints: null };
  const outcomes: EndpointOutcome[] = [];
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
    if (line.trace) outcomes.push(utteranceOutcome(utteranceFromResultLine(line, totals.utterances - 1), pair));
  });
  if (referenced > 0) totals.words = { errors, referenceWords, utterances: referenced };
  if (outcomes.length > 0) totals.endpoints = summarizeOutcomes(outcomes);
  return totals;
}
