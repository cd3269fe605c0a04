import type { EndpointConfig, EndpointKnobs, EndpointRule } from '../../shared/domain/endpoint';
import { endpointKnobsSchema } from '../../shared/api';
// One file for the defaults, so that training/report.py measures the end-of-query head with what the app decides by.
import defaultKnobs from './default-knobs.json';

/** A rule with every condition off; presets and knobs switch on what they need. */
export function endpointRule(name: string, conditions: Partial<Omit<EndpointRule, 'name'>>): EndpointRule {
  return {
    name,
    mustContainNonsilence: false,
    minTrailingSilenceS: 0,
    minUtteranceLengthS: 0,
    maxRelativeCost: null,
    minEoqProb: null,
    eoqFrames: 1,
    ...conditions,
  };
}

/**
 * sherpa-onnx's defaults (`sherpa-onnx/csrc/endpoint.h`, the same in sherpa-ncnn):
 * rule1 (false, 2.4 s, 0) times out after 2.4 s of silence even if nothing was decoded;
 * rule2 (true, 1.2 s, 0) after 1.2 s of silence once something was decoded;
 * rule3 (false, 0, 20 s) once the utterance is 20 s long. Trailing silence there is
 * `num_trailing_blanks` (frames whose 1-best step emitted nothing), hence `blank`.
 */
export const sherpaDefaultPreset: EndpointConfig = {
  name: 'sherpa-onnx default',
  nonSpeech: 'blank',
  energyFloorDb: 30,
  rules: [
    endpointRule('rule1', { mustContainNonsilence: false, minTrailingSilenceS: 2.4 }),
    endpointRule('rule2', { mustContainNonsilence: true, minTrailingSilenceS: 1.2 }),
    endpointRule('rule3', { mustContainNonsilence: false, minUtteranceLengthS: 20 }),
  ],
};

/**
 * Kaldi's five defaults (`src/online2/online-endpoint.h`, `OnlineEndpointConfig`):
 * rule1 (false, 5.0 s, ∞, 0); rule2 (true, 0.5 s, relative cost ≤ 2.0, 0);
 * rule3 (true, 1.0 s, relative cost ≤ 8.0, 0); rule4 (true, 2.0 s, ∞, 0); rule5 (false, 0, ∞, 20 s).
 * Kaldi counts trailing silence phones of the best traceback; blanks stand in for them here.
 * Rules 2 and 3 are approximated: a transducer has no grammar final state, so the relative
 * cost comes from the end-of-query head (or, without one, the blank posteriors), see
 * `relativeCost` in decide-endpoint.ts.
 */
export const kaldiDefaultPreset: EndpointConfig = {
  name: 'Kaldi default',
  nonSpeech: 'blank',
  energyFloorDb: 30,
  rules: [
    endpointRule('rule1', { mustContainNonsilence: false, minTrailingSilenceS: 5.0 }),
    endpointRule('rule2', { mustContainNonsilence: true, minTrailingSilenceS: 0.5, maxRelativeCost: 2.0 }),
    endpointRule('rule3', { mustContainNonsilence: true, minTrailingSilenceS: 1.0, maxRelativeCost: 8.0 }),
    endpointRule('rule4', { mustContainNonsilence: true, minTrailingSilenceS: 2.0 }),
    endpointRule('rule5', { mustContainNonsilence: false, minUtteranceLengthS: 20 }),
  ],
};

export const endpointPresets: readonly EndpointConfig[] = [sherpaDefaultPreset, kaldiDefaultPreset];

/** Knobs of a reasonable final end-pointer before any tuning (default-knobs.json). */
export const defaultEndpointKnobs: EndpointKnobs = endpointKnobsSchema.parse(defaultKnobs.final);

/**
 * The rules the knobs stand for. The sweep's fast path (sweep.ts) evaluates exactly these
 * rules from precomputed arrays, so any change here must be mirrored there (a test checks it).
 */
export function configFromKnobs(knobs: EndpointKnobs, name = describeKnobs(knobs)): EndpointConfig {
  const rules: EndpointRule[] = [];
  if (knobs.eoqThreshold !== null) {
    rules.push(
      endpointRule('end-of-query', {
        mustContainNonsilence: true,
        minTrailingSilenceS: knobs.eoqMinTrailingSilenceS,
        minEoqProb: knobs.eoqThreshold,
        eoqFrames: knobs.eoqFrames,
      }),
    );
  }
  rules.push(endpointRule('trailing-silence', { mustContainNonsilence: true, minTrailingSilenceS: knobs.minTrailingSilenceS }));
  rules.push(endpointRule('max-length', { mustContainNonsilence: false, minUtteranceLengthS: knobs.maxUtteranceS }));
  return { name, nonSpeech: knobs.nonSpeech, energyFloorDb: knobs.energyFloorDb, rules };
}

export const defaultEndpointConfig: EndpointConfig = configFromKnobs(defaultEndpointKnobs, 'default');

/** A speculative end-pointer to pair with the default before tuning: less sure, sooner (default-knobs.json). */
export const defaultSpeculativeKnobs: EndpointKnobs = endpointKnobsSchema.parse(defaultKnobs.speculative);

export const defaultSpeculativeConfig: EndpointConfig = configFromKnobs(defaultSpeculativeKnobs, 'default speculative');

/**
 * The pair a decode uses when the request names none: the default speculative and final knobs, the final
 * end-of-query rule at the model's own threshold where it has one (model.json `eoq.default_threshold`,
 * calibrated on its dev set so that the final end-pointer seldom cuts a speaker off in a pause). The
 * speculative end-pointer keeps the app's: cutting off is what it may do, the final one revises.
 */
export function defaultKnobsPair(model: { eoqThreshold?: number } = {}): { speculative: EndpointKnobs; final: EndpointKnobs } {
  const final = model.eoqThreshold === undefined ? defaultEndpointKnobs : { ...defaultEndpointKnobs, eoqThreshold: model.eoqThreshold };
  return { speculative: defaultSpeculativeKnobs, final };
}

export function describeKnobs(knobs: EndpointKnobs): string {
  const eoq = knobs.eoqThreshold === null ? 'no eoq' : `eoq≥${knobs.eoqThreshold}×${knobs.eoqFrames}`;
  return `${eoq}, silence ${knobs.minTrailingSilenceS}s`;
}

/**
 * Seconds → whole frames, the way the decision compares them. The small slack keeps
 * 0.12 s at 0.04 s/frame at 3 frames despite floating-point error.
 */
export function secondsToFrames(seconds: number, frameShiftS: number): number {
  return Math.max(0, Math.ceil(seconds / frameShiftS - 1e-6));
}
