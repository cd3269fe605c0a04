import type { DecodeResult } from '../../shared/domain/decode';
import type { Utterance } from '../../shared/domain/session';
import type { DatasetAnalysis, EndpointKnobsPair, UtteranceAnalysis, UtteranceSummary } from '../../shared/domain/workbench';
import { configPairFromKnobs } from '../endpoint/dual-endpointer';
import { summarizeOutcomes, utteranceOutcome } from '../endpoint/metrics';
import { evaluationUtteranceOf, referenceOf, type UtteranceReference } from './evaluation-utterance';
import { bandwidthOf } from '../../shared/domain/decode';
import { oracleErrors } from '../lattice/oracle';
import { latticeTotalsOf } from '../lattice/lattice-totals';
import { wordErrorsOf } from './word-errors-of';

/** One decoded utterance with its word errors and both end-pointers' outcome. */
export function analyzeDecodedUtterance(utterance: Utterance, decode: DecodeResult, reference: UtteranceReference, knobs: EndpointKnobsPair): UtteranceAnalysis {
  const outcome = utteranceOutcome(evaluationUtteranceOf(utterance.id, decode, reference), configPairFromKnobs(knobs));
  return {
    utterance,
    durationS: decode.stats.durationS,
    decode,
    errors: wordErrorsOf(reference.text, decode.hyp),
    oracle: reference.text === undefined ? null : oracleErrors(reference.text, decode.nbest.map((h) => h.text), decode.lattice),
    endpoints: outcome,
    knobs,
  };
}

/** A sidebar row; `unannotated` is the same utterance scored without its annotations, if any. */
export function summarizeAnalysis(analysis: UtteranceAnalysis, unannotated?: UtteranceAnalysis): UtteranceSummary {
  return {
    id: analysis.utterance.id,
    durationS: analysis.durationS,
    text: analysis.utterance.text,
    hyp: analysis.decode.hyp,
    errors: analysis.errors,
    oracle: analysis.oracle ?? null,
    bandwidth: bandwidthOf(analysis.decode),
    endpoints: analysis.endpoints,
    ...(analysis.decode.repairs ? { repairs: analysis.decode.repairs } : {}),
    ...(unannotated ? { unannotated: { errors: unannotated.errors, finalLatencyS: unannotated.endpoints.final.latencyS } } : {}),
  };
}

/** An analysis and, when annotations changed its reference, the same decode scored without them. */
export function analyzeAnnotated(utterance: Utterance, decode: DecodeResult, reference: UtteranceReference, knobs: EndpointKnobsPair): { analysis: UtteranceAnalysis; unannotated?: UtteranceAnalysis } {
  const analysis = analyzeDecodedUtterance(utterance, decode, reference, knobs);
  const plain = referenceOf(utterance);
  const changed = reference.text !== plain.text || reference.annotationEndS !== undefined;
  return changed ? { analysis, unannotated: analyzeDecodedUtterance(utterance, decode, plain, knobs) } : { analysis };
}

/** The sidebar's rows and the data set's totals. */
export function summarizeDataset(datasetId: string, analyses: readonly UtteranceAnalysis[], decodeS: number, unannotated: ReadonlyMap<string, UtteranceAnalysis> = new Map()): DatasetAnalysis {
  // Summed over utterances, so each one's reference (corrected or not) counts as scored.
  const errors = analyses.reduce((n, a) => n + (a.errors?.errors ?? 0), 0);
  const referenceWords = analyses.reduce((n, a) => n + (a.errors?.referenceWords ?? 0), 0);
  return {
    datasetId,
    utterances: analyses.map((a) => summarizeAnalysis(a, unannotated.get(a.utterance.id))),
    wer: referenceWords > 0 ? errors / referenceWords : null,
    endpointMetrics: summarizeOutcomes(analyses.map((a) => a.endpoints)),
    lattice: latticeTotalsOf(
      analyses.map((a) => ({ arcs: a.decode.lattice.arcs.length, durationS: a.durationS, bandwidth: bandwidthOf(a.decode), oracle: a.oracle ?? null })),
    ),
    decodeS,
  };
}
