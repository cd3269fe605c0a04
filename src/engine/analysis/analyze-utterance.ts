import type { DecodeResult } from '../../shared/domain/decode';
import type { Utterance } from '../../shared/domain/session';
import type { DatasetAnalysis, EndpointKnobsPair, UtteranceAnalysis, UtteranceSummary } from '../../shared/domain/workbench';
import { configPairFromKnobs } from '../endpoint/dual-endpointer';
import { summarizeOutcomes, utteranceOutcome } from '../endpoint/metrics';
import { evaluationUtteranceOf, type UtteranceReference } from './evaluation-utterance';
import { wordErrorsOf } from './word-errors-of';

/** One decoded utterance with its word errors and both end-pointers' outcome. */
export function analyzeDecodedUtterance(utterance: Utterance, decode: DecodeResult, reference: UtteranceReference, knobs: EndpointKnobsPair): UtteranceAnalysis {
  const outcome = utteranceOutcome(evaluationUtteranceOf(utterance.id, decode, reference), configPairFromKnobs(knobs));
  return {
    utterance,
    durationS: decode.stats.durationS,
    decode,
    errors: wordErrorsOf(reference.text, decode.hyp),
    endpoints: outcome,
    knobs,
  };
}

export function summarizeAnalysis(analysis: UtteranceAnalysis): UtteranceSummary {
  return {
    id: analysis.utterance.id,
    durationS: analysis.durationS,
    text: analysis.utterance.text,
    hyp: analysis.decode.hyp,
    errors: analysis.errors,
    endpoints: analysis.endpoints,
  };
}

/** The sidebar's rows and the data set's totals. */
export function summarizeDataset(datasetId: string, analyses: readonly UtteranceAnalysis[], decodeS: number): DatasetAnalysis {
  // Summed over utterances, so each one's reference (corrected or not) counts as scored.
  const errors = analyses.reduce((n, a) => n + (a.errors?.errors ?? 0), 0);
  const referenceWords = analyses.reduce((n, a) => n + (a.errors?.referenceWords ?? 0), 0);
  return {
    datasetId,
    utterances: analyses.map(summarizeAnalysis),
    wer: referenceWords > 0 ? errors / referenceWords : null,
    endpointMetrics: summarizeOutcomes(analyses.map((a) => a.endpoints)),
    decodeS,
  };
}
