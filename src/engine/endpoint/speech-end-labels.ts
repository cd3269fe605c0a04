/**
 * Reference speech-end times for recordings without hand labels, by agreement of three
 * independent detectors: Silero VAD (a neural net), WebRTC VAD (a Gaussian mixture model) and
 * frame energy against the recording's own noise floor. Each gives the end of its last run of
 * speech long enough not to be a click; the label is kept only when at least two of them
 * agree within `AGREEMENT_S`, and is then the median of the agreeing estimates.
 */
import type { VadTracks } from '../../shared/domain/decode';
import { percentile } from './metrics';

export const AGREEMENT_S = 0.1;

export interface SpeechEndEstimates {
  silero: number | null;
  webrtc: number | null;
  energy: number | null;
}

export interface SpeechEndLabel {
  estimates: SpeechEndEstimates;
  /** How many estimates agree within `AGREEMENT_S` (0 when no two do). */
  agreement: number;
  /** The label (s), or null when no two estimates agree. */
  speechEndS: number | null;
}

/** End (s) of the last run of ≥ `minRun` speech frames, or null when there is none. */
export function lastSpeechEnd(speech: ArrayLike<boolean | number>, frameShiftS: number, minRun: number): number | null {
  let run = 0;
  let end: number | null = null;
  for (let f = 0; f < speech.length; f++) {
    run = speech[f] ? run + 1 : 0;
    if (run >= minRun) end = (f + 1) * frameShiftS;
  }
  return end;
}

/** 10 ms frame energies (dB) of 16 kHz samples. */
export function frameEnergiesDb(samples: Float32Array, rate = 16000, shiftS = 0.01): Float64Array {
  const hop = Math.round(rate * shiftS);
  const out = new Float64Array(Math.floor(samples.length / hop));
  for (let f = 0; f < out.length; f++) {
    let sum = 0;
    for (let i = f * hop; i < (f + 1) * hop; i++) sum += samples[i] * samples[i];
    out[f] = 10 * Math.log10(sum / hop + 1e-12);
  }
  return out;
}

/**
 * Speech by energy: above the noise floor (10th percentile) by a quarter of the range from
 * floor to peak, and at least 6 dB: a loud recording's breaths stay below, a quiet one's speech above.
 */
export function energySpeech(energiesDb: Float64Array): Uint8Array {
  const sorted = Float64Array.from(energiesDb).sort();
  const floor = percentile(sorted, 0.1) ?? 0;
  const peak = sorted[sorted.length - 1] ?? 0;
  const threshold = floor + Math.max(6, 0.25 * (peak - floor));
  return Uint8Array.from(energiesDb, (e) => (e >= threshold ? 1 : 0));
}

export function estimateSpeechEnd(vad: VadTracks, energiesDb: Float64Array, energyShiftS = 0.01): SpeechEndEstimates {
  const silero = vad.silero ? lastSpeechEnd(vad.silero.speechProb.map((p) => p >= 0.5), vad.silero.frameShiftS, 2) : null;
  const webrtc = vad.webrtc ? lastSpeechEnd(vad.webrtc.speechProb, vad.webrtc.frameShiftS, 3) : null;
  const energy = energiesDb.length > 0 ? lastSpeechEnd(energySpeech(energiesDb), energyShiftS, 5) : null;
  return { silero, webrtc, energy };
}

/** The label from the estimates: the median of the largest group that agrees within `AGREEMENT_S`. */
export function agreeOnSpeechEnd(estimates: SpeechEndEstimates): SpeechEndLabel {
  const values = [estimates.silero, estimates.webrtc, estimates.energy].filter((v): v is number => v !== null).sort((a, b) => a - b);
  let best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const group = values.filter((v) => v >= values[i] && v - values[i] <= AGREEMENT_S + 1e-9);
    if (group.length > best.length) best = group;
  }
  if (best.length < 2) return { estimates, agreement: 0, speechEndS: null };
  const median = best.length % 2 === 1 ? best[(best.length - 1) / 2] : (best[best.length / 2 - 1] + best[best.length / 2]) / 2;
  return { estimates, agreement: best.length, speechEndS: Math.round(median * 1000) / 1000 };
}
