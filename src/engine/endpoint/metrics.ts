import type { DecisionOutcome, DecisionStats, EndpointConfig, EndpointMetrics, EndpointOutcome, MetricDefinitions, ReferenceEnd } from '../../shared/domain/endpoint';
import { normalizeWords, wordErrors } from '../metrics/wer';
import { firstEndpointFrame } from './decide-endpoint';
import { simulateDownstream } from './downstream';
import { runDualEndpointer, type EndpointConfigPair } from './dual-endpointer';
import { decisionTimeS, decisionTimes, hypothesisAt, streamEndS, type EndpointStream } from './endpoint-stream';

/** One utterance to score: the decoded stream, its reference end and (if known) its text. */
export interface EvaluationUtterance {
  stream: EndpointStream;
  reference: ReferenceEnd;
  /** Reference transcript; null when unknown (the full hypothesis then stands in for it). */
  referenceText: string | null;
}

export interface MetricsOptions {
  definitions: MetricDefinitions;
  /** Downstream work per request (s). */
  downstreamWorkS: number;
}

/**
 * No tolerance (the reference ends are exact on the synthetic split and agree within 0.1 s on
 * the real labels); a no-fire costs the 20 s max-utterance timeout, as it would a user.
 */
export const defaultMetricDefinitions: MetricDefinitions = { cutoffToleranceS: 0, noFireAt: 'timeout', timeoutS: 20 };

export const defaultMetricsOptions: MetricsOptions = { definitions: defaultMetricDefinitions, downstreamWorkS: 0.3 };

/** When a no-fire is counted on this stream (s). */
export function noFireTimeS(stream: EndpointStream, definitions: MetricDefinitions): number {
  return definitions.noFireAt === 'timeout' ? definitions.timeoutS : streamEndS(stream);
}

/** Linear interpolation between order statistics (numpy's default) over sorted values. */
export function percentile(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const position = (n - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
}

/** Speech-free by its labels: an end-pointer that needs decoded speech must not fire on it. */
export function isSpeechFree(reference: ReferenceEnd): boolean {
  return reference.endS === null && reference.source !== 'none';
}

/** What a decision at `frame` (null: never fired) does to one utterance. */
export function decisionOutcome(utterance: EvaluationUtterance, frame: number | null, options: MetricsOptions = defaultMetricsOptions): DecisionOutcome {
  return outcomeAt(utterance, frame === null ? null : { frame, timeS: decisionTimeS(utterance.stream, frame) }, options);
}

/**
 * What a decision at `timeS` does, for an end-pointer that does not wait for the recognizer
 * (a VAD): the text is what had been decoded by then, i.e. up to the last frame whose chunk
 * had been decoded at `timeS` (−1 when none had).
 */
export function decisionOutcomeAtTime(utterance: EvaluationUtterance, timeS: number | null, options: MetricsOptions = defaultMetricsOptions): DecisionOutcome {
  if (timeS === null) return outcomeAt(utterance, null, options);
  const times = decisionTimes(utterance.stream);
  let frame = -1;
  while (frame + 1 < times.length && times[frame + 1] <= timeS + 1e-9) frame++;
  return outcomeAt(utterance, { frame, timeS }, options);
}

function outcomeAt(utterance: EvaluationUtterance, decision: { frame: number; timeS: number } | null, options: MetricsOptions): DecisionOutcome {
  const { stream, reference } = utterance;
  const fired = decision !== null;
  const frame = decision?.frame ?? null;
  const timeS = decision ? decision.timeS : noFireTimeS(stream, options.definitions);
  const text = decision ? (decision.frame < 0 ? '' : hypothesisAt(stream, decision.frame)) : stream.text;
  const endS = reference.endS;
  let wordsLost = 0;
  let addedErrors = 0;
  if (text !== stream.text) {
    const truncation = wordErrors(stream.text, text);
    wordsLost = truncation.substitutions + truncation.deletions;
    const target = utterance.referenceText ?? stream.text;
    addedErrors = wordErrors(target, text).errors - wordErrors(target, stream.text).errors;
  }
  return {
    fired,
    frame,
    timeS,
    latencyS: endS === null ? null : timeS - endS,
    cutOff: fired && endS !== null && timeS < endS - options.definitions.cutoffToleranceS,
    wordsLost,
    addedErrors,
    falseFire: fired && isSpeechFree(reference),
    text,
  };
}

/** Both end-pointers on one utterance: events, the two decisions, resets and downstream. */
export function utteranceOutcome(utterance: EvaluationUtterance, pair: EndpointConfigPair, options: MetricsOptions = defaultMetricsOptions): EndpointOutcome {
  const run = runDualEndpointer(utterance.stream, pair);
  // A final decision before any speculative one ends the utterance for both: downstream starts then.
  const speculative = decisionOutcome(utterance, run.firstSpeculativeFrame ?? run.finalFrame, options);
  const final = decisionOutcome(utterance, run.finalFrame, options);
  const standing = run.speculativeFrame === null ? null : decisionTimeS(utterance.stream, run.speculativeFrame);
  return {
    id: utterance.stream.id,
    reference: utterance.reference,
    referenceWords: normalizeWords(utterance.referenceText ?? utterance.stream.text).length,
    speculative,
    final,
    events: run.events,
    speculativeFires: run.speculativeFires,
    resets: run.resets,
    gapS: standing !== null && final.fired ? final.timeS - standing : null,
    downstream: simulateDownstream(run.events, options.downstreamWorkS),
  };
}

/** One end-pointer over a data set. `referenceWords[i]` belongs to `outcomes[i]`. */
export function decisionStats(outcomes: readonly DecisionOutcome[], references: readonly ReferenceEnd[], referenceWords: readonly number[]): DecisionStats {
  const latencies: number[] = [];
  let fired = 0;
  let withSpeech = 0;
  let noFire = 0;
  let cutOffs = 0;
  let wordsLost = 0;
  let addedErrors = 0;
  let words = 0;
  let speechFree = 0;
  let falseFires = 0;
  outcomes.forEach((outcome, i) => {
    if (outcome.fired) fired++;
    wordsLost += outcome.wordsLost;
    addedErrors += outcome.addedErrors;
    words += referenceWords[i];
    if (outcome.latencyS !== null) {
      withSpeech++;
      latencies.push(outcome.latencyS);
      if (!outcome.fired) noFire++;
      if (outcome.cutOff) cutOffs++;
    }
    if (isSpeechFree(references[i])) {
      speechFree++;
      if (outcome.falseFire) falseFires++;
    }
  });
  latencies.sort((a, b) => a - b);
  const n = outcomes.length;
  return {
    utterances: n,
    withReference: withSpeech,
    firedRate: n > 0 ? fired / n : 0,
    noFireRate: withSpeech > 0 ? noFire / withSpeech : 0,
    latencyP50S: percentile(latencies, 0.5),
    latencyP90S: percentile(latencies, 0.9),
    latencyP99S: percentile(latencies, 0.99),
    cutoffRate: withSpeech > 0 ? cutOffs / withSpeech : 0,
    wordsLost,
    meanWordsLost: withSpeech > 0 ? wordsLost / withSpeech : 0,
    addedWer: words > 0 ? addedErrors / words : 0,
    falseFireRate: speechFree > 0 ? falseFires / speechFree : 0,
  };
}

/** A single end-pointer (e.g. a preset) over a data set. */
export function evaluateConfig(utterances: readonly EvaluationUtterance[], config: EndpointConfig, options: MetricsOptions = defaultMetricsOptions): DecisionStats {
  return statsOf(utterances, utterances.map((u) => decisionOutcome(u, firstEndpointFrame(u.stream.trace, config), options)));
}

/** Data-set stats of one end-pointer's outcomes, `outcomes[i]` on `utterances[i]`. */
export function statsOf(utterances: readonly EvaluationUtterance[], outcomes: readonly DecisionOutcome[]): DecisionStats {
  return decisionStats(
    outcomes,
    utterances.map((u) => u.reference),
    utterances.map((u) => normalizeWords(u.referenceText ?? u.stream.text).length),
  );
}

/** Data-set metrics of a speculative + final pair from its per-utterance outcomes. */
export function summarizeOutcomes(outcomes: readonly EndpointOutcome[], definitions: MetricDefinitions = defaultMetricDefinitions): EndpointMetrics {
  const references = outcomes.map((o) => o.reference);
  const words = outcomes.map((o) => o.referenceWords);
  const gaps = outcomes.flatMap((o) => (o.gapS === null ? [] : [o.gapS])).sort((a, b) => a - b);
  const saved = outcomes.filter((o) => o.downstream.readyS !== null).map((o) => o.downstream.savedS).sort((a, b) => a - b);
  const fires = outcomes.reduce((sum, o) => sum + o.speculativeFires, 0);
  const resets = outcomes.reduce((sum, o) => sum + o.resets, 0);
  const wasted = outcomes.reduce((sum, o) => sum + o.downstream.wastedS, 0);
  const n = outcomes.length;
  const speculative = decisionStats(outcomes.map((o) => o.speculative), references, words);
  const final = decisionStats(outcomes.map((o) => o.final), references, words);
  return {
    utterances: n,
    definitions,
    speculative,
    final,
    leadP50S: speculative.latencyP50S === null || final.latencyP50S === null ? null : final.latencyP50S - speculative.latencyP50S,
    gapP50S: percentile(gaps, 0.5),
    gapP90S: percentile(gaps, 0.9),
    speculativeFires: fires,
    resets,
    resetsPerUtterance: n > 0 ? resets / n : 0,
    resetsPerSpeculativeFire: fires > 0 ? resets / fires : 0,
    downstream: {
      savedP50S: percentile(saved, 0.5),
      savedMeanS: saved.length > 0 ? saved.reduce((a, b) => a + b, 0) / saved.length : 0,
      wastedMeanS: n > 0 ? wasted / n : 0,
      wastedTotalS: wasted,
    },
  };
}

/** Per-utterance outcomes and data-set metrics of a pair. */
export function evaluatePair(
  utterances: readonly EvaluationUtterance[],
  pair: EndpointConfigPair,
  options: MetricsOptions = defaultMetricsOptions,
): { outcomes: EndpointOutcome[]; metrics: EndpointMetrics } {
  const outcomes = utterances.map((u) => utteranceOutcome(u, pair, options));
  return { outcomes, metrics: summarizeOutcomes(outcomes, options.definitions) };
}
