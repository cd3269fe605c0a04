import type { FrameTrace } from '../../shared/domain/decode';
import type { EndpointConfig, EndpointRule } from '../../shared/domain/endpoint';
import { secondsToFrames } from './endpoint-config';
import { nonSpeechClassifier } from '../../shared/endpoint/non-speech';

/** What the rules look at once frames 0..frame have been decoded (sherpa/Kaldi's inputs). */
export interface EndpointState {
  framesDecoded: number;
  /** Consecutive non-speech frames ending at the current frame. */
  trailingSilenceFrames: number;
  /** A non-blank token was emitted at or before the current frame. */
  containsNonsilence: boolean;
  /** Approximated Kaldi relative cost (see `relativeCost`); Infinity when unknown. */
  relativeCost: number;
  /** Per rule: consecutive frames ending here with end-of-query ≥ the rule's threshold. */
  eoqRuns: number[];
}

const MIN_PROB = 1e-12;

/**
 * Kaldi's relative cost is how far the best final (end-of-sentence) state of the grammar is
 * from the best state: 0 when the sentence could end here. A transducer has no grammar, so:
 * - with an end-of-query head, cost = −ln P(eoq) (P = e^−2 ≈ 0.14 meets Kaldi's rule2, e^−8 rule3);
 * - without one, cost = −ln of the lowest blank probability on the frames after the last emission: the path
 *   was sure nothing more was coming. This cannot tell a finished sentence from a hesitation,
 *   so Kaldi's rule2 then behaves like a plain 0.5 s silence rule.
 */
export function relativeCost(eoqProb: number | undefined, minBlankSinceEmission: number): number {
  const p = eoqProb === undefined ? minBlankSinceEmission : eoqProb;
  return -Math.log(Math.max(p, MIN_PROB));
}

interface CompiledRule {
  name: string;
  mustContainNonsilence: boolean;
  minTrailingFrames: number;
  minUtteranceFrames: number;
  maxRelativeCost: number;
  minEoqProb: number;
  eoqFrames: number;
}

function compileRule(rule: EndpointRule, frameShiftS: number): CompiledRule {
  return {
    name: rule.name,
    mustContainNonsilence: rule.mustContainNonsilence,
    minTrailingFrames: secondsToFrames(rule.minTrailingSilenceS, frameShiftS),
    minUtteranceFrames: secondsToFrames(rule.minUtteranceLengthS, frameShiftS),
    maxRelativeCost: rule.maxRelativeCost ?? Infinity,
    // A rule without an end-of-query condition needs a run of 0 frames above −∞.
    minEoqProb: rule.minEoqProb ?? -Infinity,
    eoqFrames: rule.minEoqProb === null ? 0 : Math.max(1, rule.eoqFrames),
  };
}

/** One rule over the state: sherpa's `RuleActivated`, with Kaldi's cost and the eoq condition. */
export function ruleActivated(rule: EndpointRule, ruleIndex: number, state: EndpointState, frameShiftS: number): boolean {
  return activated(compileRule(rule, frameShiftS), state.eoqRuns[ruleIndex] ?? 0, state);
}

function activated(rule: CompiledRule, eoqRun: number, state: EndpointState): boolean {
  return (
    (state.containsNonsilence || !rule.mustContainNonsilence) &&
    state.trailingSilenceFrames >= rule.minTrailingFrames &&
    state.framesDecoded >= rule.minUtteranceFrames &&
    state.relativeCost <= rule.maxRelativeCost &&
    eoqRun >= rule.eoqFrames
  );
}

/** The first rule that holds (sherpa's `Endpoint::IsEndpoint`, which ORs its rules), or null. */
export function isEndpoint(config: EndpointConfig, state: EndpointState, frameShiftS: number): string | null {
  for (let i = 0; i < config.rules.length; i++) {
    if (ruleActivated(config.rules[i], i, state, frameShiftS)) return config.rules[i].name;
  }
  return null;
}

/**
 * Walks a trace frame by frame, keeping the state up to date in O(1) per frame.
 * `step(frame)` must be called with 0, 1, 2, … and returns the rule that fired there, or null.
 */
export interface EndpointScanner {
  step(frame: number): string | null;
  readonly state: EndpointState;
}

export function createEndpointScanner(trace: FrameTrace, config: EndpointConfig): EndpointScanner {
  const rules = config.rules.map((rule) => compileRule(rule, trace.frameShiftS));
  const hasEoq = trace.eoqProb.length > 0;
  const isNonSpeech = nonSpeechClassifier(trace, config);
  // With the VAD as silence evidence, the VAD hearing speech also counts as something said: the
  // rules then work on audio the recognizer decodes nothing from.
  const vadHeardSpeech = config.nonSpeech === 'vad';
  const state: EndpointState = {
    framesDecoded: 0,
    trailingSilenceFrames: 0,
    containsNonsilence: false,
    relativeCost: Infinity,
    eoqRuns: rules.map(() => 0),
  };
  let minBlankSinceEmission = 1;

  function step(frame: number): string | null {
    const emitted = trace.emitted[frame] > 0;
    const nonSpeech = isNonSpeech(frame);
    state.framesDecoded = frame + 1;
    state.trailingSilenceFrames = nonSpeech ? state.trailingSilenceFrames + 1 : 0;
    if (emitted || (vadHeardSpeech && !nonSpeech)) state.containsNonsilence = true;
    const blank = trace.blankProb[frame] ?? 0;
    // An emitting frame is judged on its own blank probability; later frames on the run after it.
    minBlankSinceEmission = emitted ? 1 : Math.min(minBlankSinceEmission, blank);
    state.relativeCost = relativeCost(hasEoq ? trace.eoqProb[frame] : undefined, emitted ? blank : minBlankSinceEmission);
    let fired: string | null = null;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      const eoqRun = hasEoq && trace.eoqProb[frame] >= rule.minEoqProb ? state.eoqRuns[i] + 1 : 0;
      state.eoqRuns[i] = eoqRun;
      if (fired === null && activated(rule, eoqRun, state)) fired = rule.name;
    }
    return fired;
  }

  return { step, state };
}

export interface EndpointDecision {
  /** Rule that holds at the frame, or null. */
  rule: string | null;
  state: EndpointState;
}

/** Does the end-pointer hold once frames 0..frame are decoded? Pure; O(frame). */
export function decideEndpoint(trace: FrameTrace, frame: number, config: EndpointConfig): EndpointDecision {
  const scanner = createEndpointScanner(trace, config);
  let rule: string | null = null;
  for (let t = 0; t <= frame && t < trace.numFrames; t++) rule = scanner.step(t);
  return { rule, state: { ...scanner.state, eoqRuns: [...scanner.state.eoqRuns] } };
}

/** The first frame at which the end-pointer fires, with the rule, or null when it never does. */
export function firstEndpoint(trace: FrameTrace, config: EndpointConfig): { frame: number; rule: string } | null {
  const scanner = createEndpointScanner(trace, config);
  for (let t = 0; t < trace.numFrames; t++) {
    const rule = scanner.step(t);
    if (rule !== null) return { frame: t, rule };
  }
  return null;
}

/** The first frame at which the end-pointer fires, or null. */
export function firstEndpointFrame(trace: FrameTrace, config: EndpointConfig): number | null {
  return firstEndpoint(trace, config)?.frame ?? null;
}
