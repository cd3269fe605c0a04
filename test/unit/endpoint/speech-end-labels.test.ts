import { describe, expect, it } from 'vitest';
import { agreeOnSpeechEnd, energySpeech, lastSpeechEnd } from '../../../src/engine/endpoint/speech-end-labels';

describe('reference speech ends by agreement of three detectors', () => {
  it('the median of three that agree within 0.1 s', () => {
    expect(agreeOnSpeechEnd({ silero: 2.0, webrtc: 2.06, energy: 1.98 })).toEqual({ estimates: { silero: 2.0, webrtc: 2.06, energy: 1.98 }, agreement: 3, speechEndS: 2.0 });
  });

  it('the middle of the two that agree when the third is off', () => {
    expect(agreeOnSpeechEnd({ silero: 2.0, webrtc: 1.4, energy: 2.08 })).toMatchObject({ agreement: 2, speechEndS: 2.04 });
  });

  it('no label when no two agree, or only one detector saw speech', () => {
    expect(agreeOnSpeechEnd({ silero: 2.0, webrtc: 1.4, energy: 2.5 })).toMatchObject({ agreement: 0, speechEndS: null });
    expect(agreeOnSpeechEnd({ silero: 2.0, webrtc: null, energy: null })).toMatchObject({ agreement: 0, speechEndS: null });
  });

  it('a detector’s end is that of its last run long enough not to be a click', () => {
    expect(lastSpeechEnd([0, 1, 1, 1, 0, 0, 1, 0], 0.01, 2)).toBeCloseTo(0.04);
    expect(lastSpeechEnd([0, 1, 0], 0.01, 2)).toBeNull();
  });

  it('energy speech sits a quarter of the floor-to-peak range above the noise floor', () => {
    const db = Float64Array.from([-60, -60, -60, -60, -60, -60, -60, -60, -60, -60, -20, -45, -30, -60]);
    // Floor −60, peak −20: threshold −50.
    expect(Array.from(energySpeech(db))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0]);
  });
});
