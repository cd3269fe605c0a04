/**
 * End-pointing: the decision rule, the speculative + final pair, their events, the metrics
 * against a reference end of speech, and threshold sweeps. Plain data that crosses the API
 * as JSON, so "no condition" is `null`, never `Infinity`.
 */

/**
 * Which frames count as non-speech for the trailing-silence condition.
 * - `blank`: no token emitted at the frame (sherpa-onnx's `num_trailing_blanks`);
 * - `energy`: frame energy at least `energyFloorDb` below the loudest frame so far;
 * - `blank-and-energy`: both (a loud frame with no emission is not yet silence);
 * - `vad`: Silero VAD's P(speech) below 0.5 in its last window that ended by the frame's end
 *   (`FrameTrace.vad.silero`); a trace without it has no non-speech frames under this source.
 */
export type NonSpeechSource = 'blank' | 'energy' | 'blank-and-energy' | 'vad';

export const nonSpeechSources: readonly NonSpeechSource[] = ['blank', 'energy', 'blank-and-energy', 'vad'];

/**
 * One rule: a conjunction of conditions (Kaldi's `OnlineEndpointRule`, extended with the
 * model's end-of-query head). An end-pointer fires when any of its rules holds.
 */
export interface EndpointRule {
  name: string;
  /**
   * Something must have been said since the stream started: a non-blank token emitted, or, when
   * the non-speech source is `vad`, a frame Silero VAD calls speech.
   */
  mustContainNonsilence: boolean;
  /** Trailing non-speech must last at least this long (s); 0 for no condition. */
  minTrailingSilenceS: number;
  /** The decoded audio must be at least this long (s); 0 for no condition. */
  minUtteranceLengthS: number;
  /**
   * Kaldi's relative cost of reaching a final state must be at most this; null for no condition.
   * A transducer has no grammar final states: see `relativeCost` in decide-endpoint.ts for
   * how it is approximated from the traces.
   */
  maxRelativeCost: number | null;
  /** End-of-query probability must be ≥ this on `eoqFrames` consecutive frames; null for none. */
  minEoqProb: number | null;
  eoqFrames: number;
}

export interface EndpointConfig {
  name: string;
  nonSpeech: NonSpeechSource;
  /** Energy drop (dB below the loudest frame so far) at which a frame counts as non-speech. */
  energyFloorDb: number;
  rules: EndpointRule[];
}

/** The tunable family that sweeps walk: an end-of-query rule, a silence rule and a length cap. */
export interface EndpointKnobs {
  /** End-of-query threshold; null drops the end-of-query rule. */
  eoqThreshold: number | null;
  eoqFrames: number;
  /** Trailing non-speech the end-of-query rule also needs (s). */
  eoqMinTrailingSilenceS: number;
  /** Trailing non-speech after something was decoded that fires on its own (s). */
  minTrailingSilenceS: number;
  maxUtteranceS: number;
  nonSpeech: NonSpeechSource;
  energyFloorDb: number;
}

export type EndpointEventType = 'speculative' | 'final' | 'revise' | 'reset';

export interface EndpointEvent {
  type: EndpointEventType;
  /** Encoder frame at which the decision was taken. */
  frame: number;
  /** When the decision was available: the end of the decoded chunk holding `frame` (s). */
  timeS: number;
  /** Hypothesis at that frame (for `revise`: the final text that replaces the speculative one). */
  text: string;
  /** Rule that fired (speculative, final). */
  rule?: string;
  /** Why downstream must reset (revise, reset). */
  reason?: 'speech-resumed' | 'text-changed';
}

export type ReferenceEndSource = 'annotation' | 'labels' | 'last-emission' | 'energy' | 'none';

/** True end of speech; `endS` null when the audio holds no speech (or nothing could tell). */
export interface ReferenceEnd {
  endS: number | null;
  source: ReferenceEndSource;
}

/**
 * How every end-pointer metric is counted; the same for sweeps, the benchmark, the CLI and
 * the workbench, and carried with each result so that what a number counts is never implicit.
 */
export interface MetricDefinitions {
  /** A decision more than this before the reference end is a cut-off (s). */
  cutoffToleranceS: number;
  /**
   * Where a no-fire is counted: `timeout` at `timeoutS` from the start of the audio (what a
   * system waits before giving up), `audio-end` where the recording stops. A no-fire is never
   * dropped from the latency percentiles, and is counted in the no-fire rate.
   */
  noFireAt: 'timeout' | 'audio-end';
  /** The max-utterance timeout (s). */
  timeoutS: number;
}

/** What one end-pointer's decision did on one utterance. */
export interface DecisionOutcome {
  fired: boolean;
  frame: number | null;
  /** Decision time (s); when it never fired, the no-fire time (`MetricDefinitions.noFireAt`). */
  timeS: number;
  /** timeS − reference end (s); null when there is no reference end. */
  latencyS: number | null;
  /** Decided before the reference end (less the tolerance). */
  cutOff: boolean;
  /** Words of the full hypothesis not yet (completely) decoded at the decision. */
  wordsLost: number;
  /** Word errors the truncation adds against the reference text (or the full hypothesis). */
  addedErrors: number;
  /** Fired on audio with no speech. */
  falseFire: boolean;
  text: string;
}

export interface DownstreamOutcome {
  /** When downstream's answer is ready without speculation (final + work), s. */
  baselineReadyS: number | null;
  /** When it is ready with speculation, s. */
  readyS: number | null;
  /** baselineReadyS − readyS (s); 0 when nothing fired. */
  savedS: number;
  /** Downstream work thrown away by resets and revisions (s). */
  wastedS: number;
}

/** Per utterance, for a speculative + final pair. */
export interface EndpointOutcome {
  id: string;
  reference: ReferenceEnd;
  referenceWords: number;
  speculative: DecisionOutcome;
  final: DecisionOutcome;
  events: EndpointEvent[];
  /** Speculative fires later reset (speech resumed) or revised (final text differs). */
  speculativeFires: number;
  resets: number;
  /** final − last speculative decision (s); null unless both fired. */
  gapS: number | null;
  downstream: DownstreamOutcome;
}

/**
 * One end-pointer over a data set. Rates and percentiles are over the utterances with a
 * reference end (`withReference`), no-fires included at their no-fire time.
 */
export interface DecisionStats {
  utterances: number;
  /** Utterances with a reference end: the denominator of the rates and percentiles below. */
  withReference: number;
  /** Share of all utterances on which it fired. */
  firedRate: number;
  /** Share of utterances with a reference end on which it never fired. */
  noFireRate: number;
  latencyP50S: number | null;
  latencyP90S: number | null;
  latencyP99S: number | null;
  cutoffRate: number;
  /** Words of the full hypothesis not yet decoded at the decision, summed over all utterances. */
  wordsLost: number;
  /** `wordsLost` per utterance with a reference end. */
  meanWordsLost: number;
  /** Added word errors over all reference words. */
  addedWer: number;
  /** Share of speech-free utterances on which it fired. */
  falseFireRate: number;
}

export interface EndpointMetrics {
  utterances: number;
  definitions: MetricDefinitions;
  speculative: DecisionStats;
  final: DecisionStats;
  /** final p50 − speculative p50 (s): how far the speculative end-pointer is ahead at p50. */
  leadP50S: number | null;
  gapP50S: number | null;
  gapP90S: number | null;
  speculativeFires: number;
  /** Resets and revisions, all utterances together. */
  resets: number;
  resetsPerUtterance: number;
  /** Resets and revisions per speculative fire (0 when it never fired). */
  resetsPerSpeculativeFire: number;
  downstream: { savedP50S: number | null; savedMeanS: number; wastedMeanS: number; wastedTotalS: number };
}

/**
 * The end-of-query head and the trailing-silence evidence are tuned together: each point is a
 * non-speech source, an end-of-query threshold, the trailing non-speech that rule also needs,
 * and the silence-only fallback. A null threshold (no end-of-query rule) ignores
 * `eoqMinTrailingSilenceS` and appears once per source and silence.
 */
export interface SweepGrid {
  nonSpeech: NonSpeechSource[];
  eoqThresholds: Array<number | null>;
  eoqMinTrailingSilenceS: number[];
  minTrailingSilenceS: number[];
  /** Knobs the grid does not vary. */
  base: EndpointKnobs;
}

export interface SweepOptions {
  grid: SweepGrid;
  /** Cut-off rate the final end-pointer may reach (issue 7: 0.01). */
  finalCutoffBudget: number;
  /** Cut-off rate the speculative end-pointer may reach (issue 7: 0.05). */
  speculativeCutoffBudget: number;
  /** No-fire rate either end-pointer may reach. */
  noFireBudget: number;
  /** The speculative end-pointer's p50 must be at least this much earlier than the final's (s). */
  speculativeLeadS: number;
  definitions: MetricDefinitions;
  /** Downstream (NLU) work per request, for the simulation (s). */
  downstreamWorkS: number;
}

/** One grid point, as a single end-pointer. */
export interface SweepPoint {
  knobs: EndpointKnobs;
  withReference: number;
  latencyP50S: number | null;
  latencyP90S: number | null;
  latencyP99S: number | null;
  cutoffRate: number;
  noFireRate: number;
  falseFireRate: number;
  /** Mean words lost per utterance with speech. */
  meanWordsLost: number;
}

/** The recommended pair's indices into `points`, and whether it meets every budget. */
export interface PairChoice {
  speculative: number;
  final: number;
  /**
   * True when the pair, run together, meets the final and speculative cut-off budgets, the
   * no-fire budget and the lead. False: nothing in the grid qualifies, and this is the nearest
   * pair (`shortfalls` says what it misses).
   */
  qualifies: boolean;
  shortfalls: string[];
}

/** A baseline end-pointer that needs no tuning of Earshot's knobs. */
export type BaselineFamily = 'silero' | 'webrtc' | 'energy' | 'rules';

export interface BaselineResult {
  family: BaselineFamily;
  /** e.g. "Silero VAD ≥ 0.5 + 0.55 s silence (LiveKit default)". */
  name: string;
  /** A default some product ships (LiveKit, Pipecat, sherpa-onnx, Kaldi). */
  isDefault: boolean;
  stats: DecisionStats;
}

export interface SweepResult {
  utterances: number;
  definitions: MetricDefinitions;
  points: SweepPoint[];
  /** Indices into `points` not dominated on (p50 latency, cut-off rate), by latency. */
  paretoFront: number[];
  /** Null only when no setting ever fired on an utterance with a reference end. */
  recommended: (PairChoice & { speculativeConfig: EndpointConfig; finalConfig: EndpointConfig; metrics: EndpointMetrics }) | null;
  /**
   * The baselines on the same data, each as a single end-pointer: VADs plus a silence rule, an
   * energy detector, and the sherpa-onnx and Kaldi rule presets. VAD baselines need `FrameTrace.vad`.
   */
  baselines: BaselineResult[];
}

/** The `endpoints` field that `earshot decode` adds to each line. */
export interface DecodeEndpointsField {
  speculative_s: number | null;
  final_s: number | null;
  resets: number;
  reference_end_s: number | null;
  reference_source: ReferenceEndSource;
}
