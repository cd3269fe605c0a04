import type { FrameTrace, Hypothesis, PartialResult } from '../../shared/domain/decode';
import type { DecodeEndpointsField, SweepOptions, SweepResult } from '../../shared/domain/endpoint';
import { defaultEndpointConfig, defaultSpeculativeConfig } from './endpoint-config';
import type { EndpointConfigPair } from './dual-endpointer';
import { runDualEndpointer } from './dual-endpointer';
import { decisionTimeS, detokenize } from './endpoint-stream';
import type { EvaluationUtterance } from './metrics';
import { referenceEnd } from './reference-end';
import { defaultSweepOptions, runSweep, type SweepHooks } from './sweep';

/**
 * One parsed line of a decode results file (JSONL), as `earshot decode` writes it plus the
 * reference information of its manifest line:
 *
 *   {
 *     "id"?: string,               // or "audio": used to name the utterance
 *     "hyp"?: string,              // full 1-best (else nbest[0].text, else the last partial)
 *     "nbest"?: Hypothesis[],      // nbest[0].tokens give the hypothesis at each frame
 *     "trace": FrameTrace,         // required: blankProb, eoqProb, logEnergy, emitted, …
 *     "partials"?: PartialResult[],// chunk ends: when decisions become available
 *     "reference"?: { "text"?: string | null, "speechEndS"?: number | null,
 *                     "speechSegments"?: [number, number][], "annotationEndS"?: number | null },
 *     // manifest-style spellings, used when "reference" lacks them:
 *     "text"?: string | null, "speech_end"?: number | null, "speech_segments"?: [number, number][]
 *   }
 *
 * Log energies of digital silence may arrive as null (JSON has no −Infinity); they are read as such.
 */
export interface DecodeResultLine {
  id?: string;
  audio?: string;
  hyp?: string;
  nbest?: Hypothesis[];
  trace: FrameTrace;
  partials?: PartialResult[];
  reference?: {
    text?: string | null;
    speechEndS?: number | null;
    speechSegments?: Array<[number, number]> | null;
    annotationEndS?: number | null;
  };
  text?: string | null;
  speech_end?: number | null;
  speech_segments?: Array<[number, number]> | null;
}

/** A decode result line → an utterance to score. Throws on a line without a usable trace. */
export function utteranceFromResultLine(line: DecodeResultLine, index: number): EvaluationUtterance {
  const trace = line.trace;
  if (!trace || typeof trace.numFrames !== 'number' || !Array.isArray(trace.emitted) || !Array.isArray(trace.blankProb)) {
    throw new Error(`line ${index + 1}: no per-frame trace (the lines that earshot decode writes carry one)`);
  }
  const normalizedTrace: FrameTrace = {
    ...trace,
    frameShiftS: trace.frameShiftS || 0.04,
    eoqProb: trace.eoqProb ?? [],
    logEnergy: ((trace.logEnergy ?? []) as Array<number | null>).map((e) => (e === null ? -Infinity : e)),
  };
  const tokens = line.nbest?.[0]?.tokens ?? [];
  const partials = line.partials ?? [];
  const text = line.hyp ?? line.nbest?.[0]?.text ?? (tokens.length > 0 ? detokenize(tokens) : (partials[partials.length - 1]?.text ?? ''));
  const ref = line.reference ?? {};
  return {
    stream: { id: line.id ?? line.audio ?? `line-${index + 1}`, trace: normalizedTrace, partials, tokens, text },
    reference: referenceEnd(normalizedTrace, {
      annotationEndS: ref.annotationEndS,
      speechEndS: ref.speechEndS ?? line.speech_end,
      speechSegments: ref.speechSegments ?? line.speech_segments,
    }),
    referenceText: ref.text ?? line.text ?? null,
  };
}

/** The JSON that `earshot sweep <results.jsonl> --out sweep.json` writes. */
export interface SweepFile extends SweepResult {
  options: SweepOptions;
}

export async function sweepResultLines(
  lines: readonly DecodeResultLine[],
  options: SweepOptions = defaultSweepOptions,
  hooks: SweepHooks = {},
): Promise<SweepFile> {
  const utterances = lines.map(utteranceFromResultLine);
  return { options, ...(await runSweep(utterances, options, hooks)) };
}

/** The `endpoints` field `earshot decode` adds to a line, for the given (or default) pair. */
export function decodeEndpointsField(
  utterance: EvaluationUtterance,
  pair: EndpointConfigPair = { speculative: defaultSpeculativeConfig, final: defaultEndpointConfig },
): DecodeEndpointsField {
  const run = runDualEndpointer(utterance.stream, pair);
  const at = (frame: number | null): number | null => (frame === null ? null : decisionTimeS(utterance.stream, frame));
  return {
    speculative_s: at(run.firstSpeculativeFrame),
    final_s: at(run.finalFrame),
    resets: run.resets,
    reference_end_s: utterance.reference.endS,
    reference_source: utterance.reference.source,
  };
}
