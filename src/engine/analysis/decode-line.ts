import type { DecodeResult, FrameTrace, Lattice, PartialResult } from '../../shared/domain/decode';
import type { DecodeEndpointsField } from '../../shared/domain/endpoint';
import type { Utterance } from '../../shared/domain/session';
import type { EndpointKnobsPair } from '../../shared/domain/workbench';
import type { ModelProvenance } from '../../shared/domain/models';
import { toResultLine, type ResultLine } from '../dataset/result-line';
import { roundedLattice } from '../lattice/lattice-json';
import { configPairFromKnobs } from '../endpoint/dual-endpointer';
import { decodeEndpointsField } from '../endpoint/sweep-results-file';
import { evaluationUtteranceOf, referenceOf } from './evaluation-utterance';

/**
 * One line of `earshot decode`: the result line, plus what `earshot sweep` needs to re-score
 * end-pointers without decoding again (the per-frame trace, the partials and the reference).
 */
export interface DecodeLine extends ResultLine {
  id: string;
  endpoints: DecodeEndpointsField;
  reference: { text: string | null; speechEndS: number | null; speechSegments: Array<[number, number]> | null };
  trace: FrameTrace;
  partials: PartialResult[];
  /** The word lattice (scores rounded): what a device would send, and what `earshot rescore` rescores. */
  lattice: Lattice;
  /** Which model (folder and content hash) and settings made it; the worker adds it. */
  model?: ModelProvenance;
}

export function decodeLineOf(utterance: Utterance, decode: DecodeResult, knobs: EndpointKnobsPair): DecodeLine {
  const reference = referenceOf(utterance);
  const evaluation = evaluationUtteranceOf(utterance.id, decode, reference);
  return {
    id: utterance.id,
    ...toResultLine(utterance.audio, utterance.text, utterance.context, decode),
    endpoints: decodeEndpointsField(evaluation, configPairFromKnobs(knobs)),
    reference: { text: reference.text ?? null, speechEndS: reference.speechEndS ?? null, speechSegments: reference.speechSegments ?? null },
    trace: decode.trace,
    partials: decode.partials,
    lattice: roundedLattice(decode.lattice),
  };
}
