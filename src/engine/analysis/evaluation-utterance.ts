import type { DecodeResult } from '../../shared/domain/decode';
import type { Utterance } from '../../shared/domain/session';
import type { EvaluationUtterance } from '../endpoint/metrics';
import { utteranceFromResultLine } from '../endpoint/sweep-results-file';

/** What stands in for the truth when scoring: the data set's, or a researcher's correction. */
export interface UtteranceReference {
  text?: string;
  speechEndS?: number;
  /** Labelled speech segments; an empty list marks audio without speech. */
  speechSegments?: Array<[number, number]>;
  /** A marked true end of speech: wins over the data set's label. */
  annotationEndS?: number;
}

export function referenceOf(utterance: Utterance, annotation: { correctedText?: string; trueEndS?: number } = {}): UtteranceReference {
  return { text: annotation.correctedText ?? utterance.text, speechEndS: utterance.speechEndS, speechSegments: utterance.speechSegments, annotationEndS: annotation.trueEndS };
}

/** A decode and its reference, as the end-pointer metrics and sweeps take them. */
export function evaluationUtteranceOf(id: string, decode: DecodeResult, reference: UtteranceReference): EvaluationUtterance {
  return utteranceFromResultLine(
    {
      id,
      hyp: decode.hyp,
      nbest: decode.nbest,
      trace: decode.trace,
      partials: decode.partials,
      reference: {
        text: reference.text ?? null,
        speechEndS: reference.speechEndS ?? null,
        speechSegments: reference.speechSegments ?? null,
        annotationEndS: reference.annotationEndS ?? null,
      },
    },
    0,
  );
}
