import { describe, expect, it } from 'vitest';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import { continueBackground } from '../../../src/engine/audio/continue-background';
import { SILERO_WINDOW, SileroVadStream, sileroTrack } from '../../../src/engine/vad/silero-vad';
import { webrtcTrack } from '../../../src/engine/vad/webrtc-vad';

// A demo recording: leading silence, "set a timer for", a pause, "ten minutes", trailing silence.
const demo = await decodeAudioFile('resources/demo/timer-pause.wav', { targetRate: 16000 });

function speechSpans(track: { frameShiftS: number; speechProb: number[] }): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  track.speechProb.forEach((p, i) => {
    if (p < 0.5) return;
    const last = spans[spans.length - 1];
    if (last && Math.abs(last[1] - i * track.frameShiftS) < 1e-9) last[1] = (i + 1) * track.frameShiftS;
    else spans.push([i * track.frameShiftS, (i + 1) * track.frameShiftS]);
  });
  return spans.filter(([a, b]) => b - a >= 0.15);
}

describe('voice-activity detectors on real audio', () => {
  it('Silero VAD finds the two spoken stretches of the demo around its pause, and silence before and after', () => {
    const track = sileroTrack(demo.samples);
    expect(track.frameShiftS).toBe(0.032);
    expect(track.speechProb).toHaveLength(Math.ceil(demo.samples.length / SILERO_WINDOW));
    const spans = speechSpans(track);
    expect(spans).toHaveLength(2);
    expect(spans[0][0]).toBeGreaterThan(0.3);
    expect(spans[1][1]).toBeLessThan(demo.durationS - 0.3);
  });

  it('Silero is streaming: the state and the 64-sample context carry over, so a fresh stream per window answers differently', () => {
    const stream = new SileroVadStream();
    const window = (i: number) => demo.samples.slice(i * SILERO_WINDOW, (i + 1) * SILERO_WINDOW);
    const carried = Array.from({ length: 40 }, (_, i) => stream.accept(window(i)));
    const fresh = Array.from({ length: 40 }, (_, i) => new SileroVadStream().accept(window(i)));
    expect(carried.map((p) => Math.round(p * 1e4) / 1e4)).toEqual(sileroTrack(demo.samples.slice(0, 40 * SILERO_WINDOW)).speechProb);
    expect(Math.max(...carried.map((p, i) => Math.abs(p - fresh[i])))).toBeGreaterThan(0.05);
    expect(() => stream.accept(new Float32Array(100))).toThrow(/512-sample/);
  });

  it('WebRTC VAD (mode 3) marks speech on 30 ms frames and agrees with Silero on where it ends', async () => {
    const track = await webrtcTrack(demo.samples);
    expect(track.frameShiftS).toBe(0.03);
    expect(new Set(track.speechProb)).toEqual(new Set([0, 1]));
    const webrtcEnd = speechSpans(track).at(-1)![1];
    const sileroEnd = speechSpans(sileroTrack(demo.samples)).at(-1)![1];
    expect(Math.abs(webrtcEnd - sileroEnd)).toBeLessThan(0.15);
  });

  it("continuing a recording's background adds quiet audio at the recording's own level, not speech", async () => {
    const padded = continueBackground(demo.samples, 16000, 2);
    expect(padded.length).toBe(demo.samples.length + 32000);
    expect(padded.subarray(0, demo.samples.length)).toEqual(demo.samples);
    const tail = padded.subarray(demo.samples.length);
    const rms = Math.sqrt(tail.reduce((s, x) => s + x * x, 0) / tail.length);
    const speechRms = Math.sqrt(demo.samples.reduce((s, x) => s + x * x, 0) / demo.samples.length);
    expect(rms).toBeLessThan(speechRms / 10);
    const vad = sileroTrack(tail);
    expect(Math.max(...vad.speechProb)).toBeLessThan(0.5);
  });
});
