import { describe, expect, it } from 'vitest';
import { configFromKnobs, defaultEndpointKnobs, sherpaDefaultPreset } from '../../../src/engine/endpoint/endpoint-config';
import {
  decisionOutcome,
  defaultMetricDefinitions,
  defaultMetricsOptions,
  evaluateConfig,
  evaluatePair,
  percentile,
  type EvaluationUtterance,
} from '../../../src/engine/endpoint/metrics';
import type { EndpointConfigPair } from '../../../src/engine/endpoint/dual-endpointer';
import { silence, stream } from './trace-builder';

const pair: EndpointConfigPair = {
  speculative: configFromKnobs({ ...defaultEndpointKnobs, eoqThreshold: null, minTrailingSilenceS: 0.2 }),
  final: configFromKnobs({ ...defaultEndpointKnobs, eoqThreshold: null, minTrailingSilenceS: 0.6 }),
};

/** "set a timer please" with an 8-frame pause after "a"; speech ends at frame 15 (0.6 s). */
const paused: EvaluationUtterance = {
  stream: stream(`W-W${silence(8)}-W-W${silence(30)}`, { words: ['set', 'a', 'timer', 'please'] }),
  reference: { endS: 0.6, source: 'labels' },
  referenceText: 'set a timer please',
};
/** "turn on" ending at frame 8 (0.32 s), no pause. */
const clean: EvaluationUtterance = {
  stream: stream(`${silence(5)}W-W${silence(30)}`, { words: ['turn', 'on'] }),
  reference: { endS: 0.32, source: 'labels' },
  referenceText: 'turn on',
};
const negative: EvaluationUtterance = { stream: stream(silence(40)), reference: { endS: null, source: 'labels' }, referenceText: '' };

describe('end-pointer metrics on hand-made traces', () => {
  it('percentiles interpolate between order statistics', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('a decision in a mid-utterance pause is a cut-off that loses words and adds errors', () => {
    const outcome = decisionOutcome(paused, 7);
    expect(outcome).toMatchObject({ fired: true, cutOff: true, wordsLost: 2, addedErrors: 2, text: 'set a' });
    expect(outcome.latencyS).toBeCloseTo(8 * 0.04 - 0.6);
  });

  it('a decision after the end has positive latency and loses nothing', () => {
    const outcome = decisionOutcome(clean, 12);
    expect(outcome).toMatchObject({ cutOff: false, wordsLost: 0, addedErrors: 0 });
    expect(outcome.latencyS).toBeCloseTo(13 * 0.04 - 0.32);
  });

  it('never firing is charged up to the timeout (or, if so defined, the end of the audio), and firing on a negative is a false fire', () => {
    expect(decisionOutcome(clean, null)).toMatchObject({ fired: false, cutOff: false });
    expect(decisionOutcome(clean, null).latencyS).toBeCloseTo(20 - 0.32);
    const atAudioEnd = { ...defaultMetricsOptions, definitions: { ...defaultMetricDefinitions, noFireAt: 'audio-end' as const } };
    expect(decisionOutcome(clean, null, atAudioEnd).latencyS).toBeCloseTo(38 * 0.04 - 0.32);
    expect(decisionOutcome(negative, 3)).toMatchObject({ falseFire: true, latencyS: null });
  });

  it('per data set: latency percentiles, cut-off rate, gap, reset rate, downstream savings', () => {
    const { outcomes, metrics } = evaluatePair([paused, clean, negative], pair, defaultMetricsOptions);
    expect(outcomes[0].speculative.cutOff).toBe(true);
    expect(outcomes[0].final.cutOff).toBe(false);
    expect(metrics.speculative.cutoffRate).toBe(0.5);
    expect(metrics.speculative.wordsLost).toBe(2);
    expect(metrics.speculative.addedWer).toBeCloseTo(2 / 6);
    expect(metrics.final.cutoffRate).toBe(0);
    // Final latencies: paused 30·0.04 − 0.6 = 0.6; clean 23·0.04 − 0.32 = 0.6.
    expect(metrics.final.latencyP50S).toBeCloseTo(0.6);
    expect(metrics.final.falseFireRate).toBe(0);
    // Speculative fires: 2 on paused (one reset), 1 on clean.
    expect(metrics).toMatchObject({ speculativeFires: 3, resets: 1 });
    expect(metrics.resetsPerSpeculativeFire).toBeCloseTo(1 / 3);
    expect(metrics.resetsPerUtterance).toBeCloseTo(1 / 3);
    expect(metrics.gapP50S).toBeCloseTo(0.4);
    expect(metrics.downstream.savedP50S).toBeCloseTo(0.3);
    expect(metrics.downstream.wastedTotalS).toBeCloseTo(0.2);
  });

  it('the sherpa preset on the same data: twice as slow as the 0.6 s final, no cut-offs', () => {
    const stats = evaluateConfig([paused, clean, negative], sherpaDefaultPreset);
    // rule2 fires on the 30th trailing blank after the last emission, 1.2 s after the end.
    expect(stats.latencyP50S).toBeCloseTo(1.2);
    expect(stats).toMatchObject({ noFireRate: 0, cutoffRate: 0, falseFireRate: 0 });
  });
});
