import type { DecisionOutcome, DecisionStats, EndpointConfig, EndpointMetrics, EndpointOutcome, ReferenceEnd } from '../../shared/domain/endpoint';
import { normalizeWords, wordErrors } from '../metrics/wer';
import { firstEndpointFrame } from './decide-endpoint';
import { simulateDownstream } from './downstream';
import { runDualEndpointer, type EndpointConfigPair } from './dual-endpointer';
import { decisionTimeS, hypothesisAt, streamEndS, type EndpointStream } from './endpoint-stream';

/** One utterance to score: the decoded stream, its reference end and (if known) its text. */
export interface EvaluationUtterance {
  stream: EndpointStream;
  reference: ReferenceEnd;
  /** Reference transcript; null when unknown (the full hypothesis then stands in for it). */
  referenceText: string | null;
}

export interface MetricsOptions {
  /** A decision this close before the reference end is not a cut-off (s). */
  cutoffToleranceS: number;
  /** Downstream work per request (s). */
  downstreamWorkS: number;
}

export const defaultMetricsOptions: MetricsOptions = { cutoffToleranceS: 0, downstreamWorkS: 0.3 };

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
  const { stream, reference } = utterance;
  const fired = frame !== null;
  const timeS = fired ? decisionTimeS(stream, frame) : streamEndS(stream);
  const text = fired ? hypothesisAt(stream, frame) : stream.text;
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
    cutOff: fired && endS !== null && timeS < endS - options.cutoffToleranceS,
    wordsLost,
    addedErrors,
    falseFire: fired && isSpeechFree(reference),
    text,
  };
}

/** Both end-pointers on one utterance: events, the two decisions, resets and downstream. */
export function utteranceOutcome(utterance: EvaluationUtterance, pair: EndpointConfigPair, options: MetricsOptions = defaultMetricsOptions): EndpointOutcome {
  const run = runDualEndpointer(utterance.stream, pair);
  const speculative = decisionOutcome(utterance, run.firstSpeculativeFrame, options);
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
    firedRate: n > 0 ? fired / n : 0,
    noFireRate: withSpeech > 0 ? noFire / withSpeech : 0,
    latencyP50S: percentile(latencies, 0.5),
    latencyP90S: percentile(latencies, 0.9),
    latencyP99S: percentile(latencies, 0.99),
    cutoffRate: withSpeech > 0 ? cutOffs / withSpeech : 0,
    wordsLost,
    addedWer: words > 0 ? addedErrors / words : 0,
    falseFireRate: speechFree > 0 ? falseFires / speechFree : 0,
  };
}

/** A single end-pointer (e.g. a preset) over a data set. */
export function evaluateConfig(utterances: readonly EvaluationUtterance[], config: EndpointConfig, options: MetricsOptions = defaultMetricsOptions): DecisionStats {
  const outcomes = utterances.map((u) => decisionOutcome(u, firstEndpointFrame(u.stream.trace, config), options));
  return decisionStats(
    outcomes,
    utterances.map((u) => u.reference),
    utterances.map((u) => normalizeWords(u.referenceText ?? u.stream.text).length),
  );
}

/** Data-set metrics of a speculative + final pair from its per-utterance outcomes. */
export function summarizeOutcomes(outcomes: readonly EndpointOutcome[]): EndpointMetrics {
  const references = outcomes.map((o) => o.reference);
  const words = outcomes.map((o) => o.referenceWords);
  const gaps = outcomes.flatMap((o) => (o.gapS === null ? [] : [o.gapS])).sort((a, b) => a - b);
  const saved = outcomes.filter((o) => o.downstream.readyS !== null).map((o) => o.downstream.savedS).sort((a, b) => a - b);
  const fires = outcomes.reduce((sum, o) => sum + o.speculativeFires, 0);
  const resets = outcomes.reduce((sum, o) => sum + o.resets, 0);
  const wasted = outcomes.reduce((sum, o) => sum + o.downstream.wastedS, 0);
  const n = outcomes.length;
  return {
    utterances: n,
    speculative: decisionStats(outcomes.map((o) => o.speculative), references, words),
    final: decisionStats(outcomes.map((o) => o.final), references, words),
    gapP50S: percentile(gaps, 0.5),
    gapP90S: percentile(gaps, 0.9),
    resetRate: fires > 0 ? resets / fires : 0,
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
  return { outcomes, metrics: summarizeOutcomes(outcomes) };
}
