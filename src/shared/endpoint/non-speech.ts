/**
 * Which frames count as non-speech for the trailing-silence condition. One definition for the
 * engine's end-pointers and the timeline's curves, so what is drawn is what decides.
 */
import type { FrameTrace } from '../domain/decode';
import type { EndpointKnobs } from '../domain/endpoint';

/** ln(10)/10: dB of power → natural-log units, as `logEnergy` is ln(mean square). */
const LN_PER_DB = Math.LN10 / 10;

/** JSON turns −Infinity (log of digital silence) into null: read both as no energy at all. */
export function energyAt(trace: FrameTrace, frame: number): number {
  const value = trace.logEnergy[frame] as number | null | undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : -Infinity;
}

/** Silero's P(speech) below this is non-speech (Silero's own and LiveKit's default threshold). */
export const VAD_SPEECH_THRESHOLD = 0.5;

/**
 * Per encoder frame, whether Silero VAD's last window that had ended by the frame's end was
 * below the threshold (what a streaming system knows then). Null without a Silero track.
 */
export function vadNonSpeech(trace: FrameTrace): Uint8Array | null {
  const track = trace.vad?.silero;
  if (!track) return null;
  const out = new Uint8Array(trace.numFrames);
  for (let f = 0; f < trace.numFrames; f++) {
    const window = Math.floor(((f + 1) * trace.frameShiftS) / track.frameShiftS + 1e-9) - 1;
    const p = window < 0 ? 0 : track.speechProb[Math.min(window, track.speechProb.length - 1)];
    out[f] = p < VAD_SPEECH_THRESHOLD ? 1 : 0;
  }
  return out;
}

/**
 * A classifier to call on frames 0, 1, 2, … in order (it tracks the loudest frame so far).
 * `blank`: the 1-best emitted nothing; `energy`: at least `energyFloorDb` below the loudest
 * frame so far; `blank-and-energy`: both; `vad`: Silero VAD says non-speech (`vadNonSpeech`).
 * Without an energy trace, energy never objects; without a Silero track, nothing is non-speech
 * under `vad`, so a silence rule on it never fires (and shows as a no-fire).
 */
export function nonSpeechClassifier(trace: FrameTrace, settings: Pick<EndpointKnobs, 'nonSpeech' | 'energyFloorDb'>): (frame: number) => boolean {
  if (settings.nonSpeech === 'vad') {
    const vad = vadNonSpeech(trace);
    return (frame) => vad !== null && vad[frame] === 1;
  }
  const hasEnergy = trace.logEnergy.length > 0;
  const drop = settings.energyFloorDb * LN_PER_DB;
  let peak = -Infinity;
  const quiet = (frame: number): boolean => {
    if (!hasEnergy) return true;
    const energy = energyAt(trace, frame);
    if (energy > peak) peak = energy;
    return energy === -Infinity || energy < peak - drop;
  };
  return (frame) => {
    const blank = !(trace.emitted[frame] > 0);
    const isQuiet = quiet(frame);
    return settings.nonSpeech === 'blank' ? blank : settings.nonSpeech === 'energy' ? isQuiet : blank && isQuiet;
  };
}

/** Trailing non-speech (s) at each frame: how long the non-speech run ending there has lasted. */
export function trailingNonSpeech(trace: FrameTrace, settings: Pick<EndpointKnobs, 'nonSpeech' | 'energyFloorDb'>): Float32Array {
  const isNonSpeech = nonSpeechClassifier(trace, settings);
  const out = new Float32Array(trace.numFrames);
  let run = 0;
  for (let f = 0; f < trace.numFrames; f++) {
    run = isNonSpeech(f) ? run + 1 : 0;
    out[f] = run * trace.frameShiftS;
  }
  return out;
}
