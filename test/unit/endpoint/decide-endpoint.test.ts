import { describe, expect, it } from 'vitest';
import {
  configFromKnobs,
  defaultEndpointKnobs,
  endpointRule,
  kaldiDefaultPreset,
  secondsToFrames,
  sherpaDefaultPreset,
} from '../../../src/engine/endpoint/endpoint-config';
import { decideEndpoint, firstEndpoint, firstEndpointFrame, isEndpoint, relativeCost } from '../../../src/engine/endpoint/decide-endpoint';
import type { EndpointConfig } from '../../../src/shared/domain/endpoint';
import { silence, stream } from './trace-builder';

/** One rule only, nothing else. */
function only(conditions: Parameters<typeof endpointRule>[1], nonSpeech: EndpointConfig['nonSpeech'] = 'blank'): EndpointConfig {
  return { name: 'test', nonSpeech, energyFloorDb: 30, rules: [endpointRule('r', conditions)] };
}

describe('the end-pointer decision rule', () => {
  it('converts seconds to whole frames without floating-point drift', () => {
    expect(secondsToFrames(0.12, 0.04)).toBe(3);
    expect(secondsToFrames(1.2, 0.04)).toBe(30);
    expect(secondsToFrames(0.13, 0.04)).toBe(4);
    expect(secondsToFrames(0, 0.04)).toBe(0);
  });

  it('fires once the trailing silence reaches its minimum, counted from the last emission', () => {
    const s = stream(`${silence(5)}W--W${silence(40)}`);
    // Last emission at frame 8; 0.4 s = 10 frames of trailing blanks → frame 18.
    expect(firstEndpointFrame(s.trace, only({ mustContainNonsilence: true, minTrailingSilenceS: 0.4 }))).toBe(18);
  });

  it('a loud frame without emission breaks the run only when energy counts', () => {
    const pattern = `W${silence(5)}-${silence(20)}`;
    const s = stream(pattern);
    const rule = { mustContainNonsilence: true, minTrailingSilenceS: 0.4 };
    expect(firstEndpointFrame(s.trace, only(rule, 'blank'))).toBe(10);
    expect(firstEndpointFrame(s.trace, only(rule, 'blank-and-energy'))).toBe(16);
    expect(firstEndpointFrame(s.trace, only(rule, 'energy'))).toBe(16);
  });

  it('"must have decoded something" keeps a speech-free stream from firing', () => {
    const s = stream(silence(100));
    expect(firstEndpointFrame(s.trace, only({ mustContainNonsilence: true, minTrailingSilenceS: 0.2 }))).toBeNull();
    expect(firstEndpointFrame(s.trace, configFromKnobs(defaultEndpointKnobs))).toBeNull();
    expect(firstEndpointFrame(s.trace, only({ mustContainNonsilence: false, minTrailingSilenceS: 0.2 }))).toBe(4);
  });

  it('with Silero VAD as the silence evidence, the VAD hearing speech counts as something said, and its silence is what counts', () => {
    // Speech the recognizer decodes nothing from: 10 loud frames, then 20 quiet ones.
    const s = stream(`${'-'.repeat(10)}${silence(20)}`);
    // Silero windows of 32 ms: speech over the first 0.4 s.
    const vad = { silero: { frameShiftS: 0.032, speechProb: Array.from({ length: 37 }, (_, i) => ((i + 1) * 0.032 <= 0.4 ? 0.9 : 0.1)) } };
    const rule = { mustContainNonsilence: true, minTrailingSilenceS: 0.2 };
    expect(firstEndpointFrame(s.trace, only(rule, 'blank'))).toBeNull();
    // Non-speech from the frame whose end first follows a quiet window's end (frame 10); 5 frames of it at frame 14.
    expect(firstEndpointFrame({ ...s.trace, vad }, only(rule, 'vad'))).toBe(14);
    // Without a Silero track, nothing is non-speech under `vad`: it never fires, and shows as a no-fire.
    expect(firstEndpointFrame(s.trace, only(rule, 'vad'))).toBeNull();
  });

  it('the maximum utterance length fires regardless of speech', () => {
    const s = stream('W--'.repeat(200));
    expect(firstEndpoint(s.trace, configFromKnobs({ ...defaultEndpointKnobs, maxUtteranceS: 20 }))).toEqual({ frame: 499, rule: 'max-length' });
  });

  it('the end-of-query rule needs its threshold on consecutive frames', () => {
    const rule = { mustContainNonsilence: true, minEoqProb: 0.8, eoqFrames: 3 };
    // A one-frame spike at frame 2, then a sustained rise from frame 6.
    const s = stream(`W${silence(15)}`, { eoq: '0090008999999' });
    expect(firstEndpointFrame(s.trace, only(rule))).toBe(8);
    expect(firstEndpointFrame(s.trace, only({ ...rule, eoqFrames: 1 }))).toBe(2);
  });

  it('the end-of-query rule never fires on a model without the head', () => {
    const s = stream(`W${silence(15)}`, { eoq: null });
    expect(firstEndpointFrame(s.trace, only({ mustContainNonsilence: true, minEoqProb: 0.1, eoqFrames: 1 }))).toBeNull();
  });

  it('decideEndpoint reports the state sherpa and Kaldi look at', () => {
    const s = stream(`${silence(3)}W${silence(10)}`);
    const decision = decideEndpoint(s.trace, 9, sherpaDefaultPreset);
    expect(decision.rule).toBeNull();
    expect(decision.state).toMatchObject({ framesDecoded: 10, trailingSilenceFrames: 6, containsNonsilence: true });
    expect(isEndpoint(sherpaDefaultPreset, { ...decision.state, trailingSilenceFrames: 30 }, 0.04)).toBe('rule2');
  });
});

describe('the sherpa-onnx preset', () => {
  it('rule2: 1.2 s of trailing blanks after something was decoded', () => {
    const s = stream(`${silence(5)}W--${silence(40)}`);
    expect(firstEndpoint(s.trace, sherpaDefaultPreset)).toEqual({ frame: 35, rule: 'rule2' });
  });

  it('rule1: 2.4 s of silence even when nothing was decoded', () => {
    expect(firstEndpoint(stream(silence(80)).trace, sherpaDefaultPreset)).toEqual({ frame: 59, rule: 'rule1' });
  });

  it('rule3: 20 s of utterance, whatever else', () => {
    expect(firstEndpoint(stream('W-'.repeat(300)).trace, sherpaDefaultPreset)).toEqual({ frame: 499, rule: 'rule3' });
  });
});

describe('the Kaldi preset', () => {
  const speech = `${silence(2)}W--`;
  it('rule2: 0.5 s when the relative cost is ≤ 2 (end-of-query ≥ e^-2)', () => {
    expect(firstEndpoint(stream(`${speech}${silence(60)}`, { eoq: '0009' }).trace, kaldiDefaultPreset)).toEqual({ frame: 15, rule: 'rule2' }); // last emission at 2, 13 frames ≥ 0.5 s
  });

  it('rule3: 1.0 s when the relative cost is ≤ 8 but > 2', () => {
    // eoq 0.05 → cost 3.0.
    expect(firstEndpoint(stream(`${speech}${silence(60)}`, { eoq: '0' }).trace, kaldiDefaultPreset)).toEqual({ frame: 2 + 25, rule: 'rule3' });
  });

  it('rule4: 2.0 s after speech even with no end state in sight', () => {
    const s = stream(`${speech}${silence(60)}`, { eoq: '0' });
    s.trace.eoqProb = s.trace.eoqProb.map(() => 1e-5); // cost 11.5
    expect(firstEndpoint(s.trace, kaldiDefaultPreset)).toEqual({ frame: 2 + 50, rule: 'rule4' });
  });

  it('rule1: 5 s of silence with nothing decoded; rule5: 20 s', () => {
    expect(firstEndpoint(stream(silence(130)).trace, kaldiDefaultPreset)).toEqual({ frame: 124, rule: 'rule1' });
    expect(firstEndpoint(stream('W-'.repeat(300)).trace, kaldiDefaultPreset)).toEqual({ frame: 499, rule: 'rule5' });
  });

  it('without an end-of-query head the cost comes from blank confidence, so rule2 acts on silence', () => {
    expect(relativeCost(undefined, 0.99)).toBeCloseTo(0.01, 2);
    expect(relativeCost(0.05, 0.99)).toBeCloseTo(3.0, 2);
    expect(firstEndpoint(stream(`${speech}${silence(60)}`, { eoq: null }).trace, kaldiDefaultPreset)?.rule).toBe('rule2');
  });
});
