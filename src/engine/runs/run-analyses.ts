import type { ComparisonInput } from '../../shared/domain/compare';
import type { Utterance, UtteranceAnnotation } from '../../shared/domain/session';
import type { EndpointKnobsPair, UtteranceAnalysis } from '../../shared/domain/workbench';
import type { RunSummary } from '../../shared/domain/runs';
import { endpointPairSchema } from '../../shared/api';
import { analyzeAnnotated } from '../analysis/analyze-utterance';
import { referenceOf, type UtteranceReference } from '../analysis/evaluation-utterance';
import { defaultEndpointKnobs, defaultSpeculativeKnobs } from '../endpoint/endpoint-config';
import { provenanceOfRef } from '../models/model-provenance';
import type { RunState } from './run-state';

export interface ScoredUtterance {
  analysis: UtteranceAnalysis;
  reference: UtteranceReference;
  unannotated?: UtteranceAnalysis;
}

/** The end-pointer pair a run recorded; the defaults where it recorded none that is valid. */
export function runKnobs(run: RunState): EndpointKnobsPair {
  const parsed = endpointPairSchema.safeParse(run.meta.endpoints);
  return parsed.success ? parsed.data : { speculative: defaultSpeculativeKnobs, final: defaultEndpointKnobs };
}

/**
 * A run's decodes scored against the session's references with its annotations applied (not
 * decoded again), in the data set's order; utterances the run has no decode of are left out.
 */
export function analysesOfRun(run: RunState, utterances: readonly Utterance[], annotations: Readonly<Record<string, UtteranceAnnotation>>, knobs: EndpointKnobsPair = runKnobs(run)): ScoredUtterance[] {
  const model = provenanceOfRef(run.meta.model);
  return utterances.flatMap((utterance) => {
    const decode = run.decodes.get(utterance.id);
    if (!decode) return [];
    const reference = referenceOf(utterance, Object.hasOwn(annotations, utterance.id) ? annotations[utterance.id] : {});
    const { analysis, unannotated } = analyzeAnnotated(utterance, decode, reference, knobs);
    return [{ analysis: model ? { ...analysis, model } : analysis, reference, ...(unannotated ? { unannotated } : {}) }];
  });
}

/** How the runs list shows a run: its settings, how much it decoded and its corpus WER. */
export function runSummaryOf(run: RunState, scored: readonly ScoredUtterance[]): RunSummary {
  const errors = scored.reduce((n, s) => n + (s.analysis.errors?.errors ?? 0), 0);
  const words = scored.reduce((n, s) => n + (s.analysis.errors?.referenceWords ?? 0), 0);
  return { ...run.meta, decoded: run.decodes.size, failed: run.errors.size, wer: words > 0 ? errors / words : null };
}

/** Both runs' outcomes on the utterances both decoded, each run with its own end-pointers. */
export function comparisonInputsOf(a: readonly ScoredUtterance[], b: readonly ScoredUtterance[]): ComparisonInput[] {
  const inB = new Map(b.map((s) => [s.analysis.utterance.id, s.analysis]));
  return a.flatMap(({ analysis: x, reference }) => {
    const y = inB.get(x.utterance.id);
    if (!y) return [];
    const finalS = (an: UtteranceAnalysis): number | null => (an.endpoints.final.fired ? an.endpoints.final.timeS : null);
    return [{ id: x.utterance.id, reference: { text: reference.text ?? null, speechEndS: x.endpoints.reference.endS }, a: { hyp: x.decode.hyp, finalS: finalS(x) }, b: { hyp: y.decode.hyp, finalS: finalS(y) } }];
  });
}
