import { describe, expect, it } from 'vitest';
import { baselineEndpointers, evaluateBaselines, liveKitDefault, pipecatDefault, speechFrames, vadFireTimeS } from '../../../src/engine/endpoint/vad-endpointer';
import { syntheticCorpus } from '../../../src/engine/endpoint/synthetic-stream';
import { defaultMetricsOptions, evaluateConfig } from '../../../src/engine/endpoint/metrics';
import { sherpaDefaultPreset } from '../../../src/engine/endpoint/endpoint-config';

const frames = (pattern: string, frameShiftS = 0.1) => ({ frameShiftS, speech: Uint8Array.from(pattern, (c) => (c === '1' ? 1 : 0)) });

describe('VAD end-pointers (a VAD plus a minimum-silence rule)', () => {
  it('fire at the end of the frame that completes the silence, once speech has lasted long enough', () => {
    // Speech 0.3 s, silence from 0.5 s: 0.3 s of silence is complete at the end of frame 7.
    expect(vadFireTimeS(frames('0011100000'), { minSpeechS: 0.2, minSilenceS: 0.3 })).toBeCloseTo(0.8);
    // A pause shorter than the silence does not end the turn.
    expect(vadFireTimeS(frames('01100110000'), { minSpeechS: 0.1, minSilenceS: 0.3 })).toBeCloseTo(1.0);
  });

  it('never fire without enough speech, nor before the silence is long enough', () => {
    expect(vadFireTimeS(frames('0100000'), { minSpeechS: 0.2, minSilenceS: 0.2 })).toBeNull();
    expect(vadFireTimeS(frames('01110'), { minSpeechS: 0.1, minSilenceS: 0.2 })).toBeNull();
  });

  it('read Silero and WebRTC tracks at their own rates, and energy from the recognizer trace', () => {
    const [u] = syntheticCorpus(1, 5);
    expect(speechFrames(u.stream.trace, liveKitDefault)!.frameShiftS).toBe(0.032);
    expect(speechFrames(u.stream.trace, { family: 'webrtc', threshold: 0.5 })!.frameShiftS).toBe(0.03);
    expect(speechFrames(u.stream.trace, { family: 'energy', threshold: 20 })!.frameShiftS).toBe(0.04);
    const withoutVad = { ...u.stream.trace, vad: undefined };
    expect(speechFrames(withoutVad, liveKitDefault)).toBeNull();
  });

  it("the grid holds LiveKit's and Pipecat's Silero defaults by name", () => {
    expect(liveKitDefault).toMatchObject({ threshold: 0.5, minSpeechS: 0.05, minSilenceS: 0.55 });
    expect(pipecatDefault).toMatchObject({ threshold: 0.7, minSpeechS: 0.2, minSilenceS: 0.8 });
    const defaults = baselineEndpointers().filter((b) => b.isDefault);
    expect(defaults.map((b) => b.endpointer)).toEqual([liveKitDefault, pipecatDefault]);
  });

  it('baselines are scored with the same definitions as the sweep, and skip detectors a trace lacks', () => {
    const corpus = syntheticCorpus(60, 11);
    const all = evaluateBaselines(corpus);
    expect(all.find((b) => b.name === sherpaDefaultPreset.name)!.stats).toEqual(evaluateConfig(corpus, sherpaDefaultPreset, defaultMetricsOptions));
    const livekit = all.find((b) => b.name.endsWith('(LiveKit default)'))!;
    expect(livekit.stats.withReference).toBe(60);
    // 0.55 s of silence is longer than the 0.2 s one: later, and no more cut-offs.
    const short = all.find((b) => b.family === 'silero' && b.name.includes('≥ 0.5') && b.name.includes(' 0.2 s silence'))!;
    expect(livekit.stats.latencyP50S!).toBeGreaterThan(short.stats.latencyP50S!);
    expect(livekit.stats.cutoffRate).toBeLessThanOrEqual(short.stats.cutoffRate);
    const stripped = corpus.map((u) => ({ ...u, stream: { ...u.stream, trace: { ...u.stream.trace, vad: undefined } } }));
    expect(new Set(evaluateBaselines(stripped).map((b) => b.family))).toEqual(new Set(['energy', 'rules']));
  });
});
