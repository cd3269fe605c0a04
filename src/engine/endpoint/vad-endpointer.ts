import type { FrameTrace, VadTrack } from '../../shared/domain/decode';
import type { BaselineFamily, BaselineResult, DecisionStats } from '../../shared/domain/endpoint';
import { energyAt } from '../../shared/endpoint/non-speech';
import { endpointPresets } from './endpoint-config';
import { decisionOutcomeAtTime, defaultMetricsOptions, evaluateConfig, statsOf, type EvaluationUtterance, type MetricsOptions } from './metrics';

/**
 * The end-pointer of voice-agent stacks (LiveKit, Pipecat, Home Assistant): a VAD decides
 * speech per frame; once speech has lasted `minSpeechS` the user is speaking, and the turn
 * ends when non-speech has then lasted `minSilenceS`. It needs no recognizer, so a decision is
 * available at the end of the VAD frame that completes the silence.
 */
export interface VadEndpointer {
  family: Exclude<BaselineFamily, 'rules'>;
  /** P(speech) at or above this is speech; for `energy`, dB below the loudest frame so far. */
  threshold: number;
  minSpeechS: number;
  minSilenceS: number;
}

/** Per frame, speech or not, with the frame shift; null when the trace lacks that detector. */
export function speechFrames(trace: FrameTrace, endpointer: Pick<VadEndpointer, 'family' | 'threshold'>): { frameShiftS: number; speech: Uint8Array } | null {
  if (endpointer.family === 'energy') {
    if (trace.logEnergy.length === 0) return null;
    const drop = (endpointer.threshold * Math.LN10) / 10;
    const speech = new Uint8Array(trace.numFrames);
    let peak = -Infinity;
    for (let f = 0; f < trace.numFrames; f++) {
      const e = energyAt(trace, f);
      if (e > peak) peak = e;
      speech[f] = e !== -Infinity && e >= peak - drop ? 1 : 0;
    }
    return { frameShiftS: trace.frameShiftS, speech };
  }
  const track: VadTrack | undefined = trace.vad?.[endpointer.family];
  if (!track) return null;
  return { frameShiftS: track.frameShiftS, speech: Uint8Array.from(track.speechProb, (p) => (p >= endpointer.threshold ? 1 : 0)) };
}

/** When the end-pointer first fires (s), or null when it never does. */
export function vadFireTimeS(frames: { frameShiftS: number; speech: Uint8Array }, endpointer: Pick<VadEndpointer, 'minSpeechS' | 'minSilenceS'>): number | null {
  const { frameShiftS, speech } = frames;
  // Whole frames; the slack keeps 0.6 s at 30 ms frames at 20 frames despite floating-point error.
  const speechNeeded = Math.max(1, Math.ceil(endpointer.minSpeechS / frameShiftS - 1e-6));
  const silenceNeeded = Math.max(1, Math.ceil(endpointer.minSilenceS / frameShiftS - 1e-6));
  let speaking = false;
  let speechRun = 0;
  let silenceRun = 0;
  for (let f = 0; f < speech.length; f++) {
    if (speech[f]) {
      speechRun++;
      silenceRun = 0;
      if (speechRun >= speechNeeded) speaking = true;
    } else {
      speechRun = 0;
      silenceRun++;
      if (speaking && silenceRun >= silenceNeeded) return (f + 1) * frameShiftS;
    }
  }
  return null;
}

/** LiveKit's Silero plugin: activation 0.5, 50 ms of speech, 550 ms of silence (`@livekit/agents-plugin-silero` 1.9). */
export const liveKitDefault: VadEndpointer = { family: 'silero', threshold: 0.5, minSpeechS: 0.05, minSilenceS: 0.55 };
/** Pipecat's `VADParams`: confidence 0.7, start_secs 0.2, stop_secs 0.8 (its volume gate is not modelled). */
export const pipecatDefault: VadEndpointer = { family: 'silero', threshold: 0.7, minSpeechS: 0.2, minSilenceS: 0.8 };

const SILENCES = [0.2, 0.3, 0.4, 0.55, 0.8, 1.0];

interface NamedEndpointer {
  endpointer: VadEndpointer;
  name: string;
  isDefault: boolean;
}

function describe(e: VadEndpointer): string {
  const detector =
    e.family === 'silero' ? `Silero VAD ≥ ${e.threshold}` : e.family === 'webrtc' ? 'WebRTC VAD (mode 3)' : `energy within ${e.threshold} dB of the peak`;
  return `${detector}, ${e.minSpeechS} s speech, ${e.minSilenceS} s silence`;
}

/** The baseline grid: LiveKit's and Pipecat's Silero settings over silences that include their own, WebRTC VAD and energy. */
export function baselineEndpointers(): NamedEndpointer[] {
  const list: NamedEndpointer[] = [];
  const add = (endpointer: VadEndpointer, note = ''): void => {
    const isDefault = note !== '';
    list.push({ endpointer, name: describe(endpointer) + (isDefault ? ` (${note})` : ''), isDefault });
  };
  for (const profile of [liveKitDefault, pipecatDefault]) {
    for (const minSilenceS of SILENCES) {
      const note = minSilenceS === profile.minSilenceS ? (profile === liveKitDefault ? 'LiveKit default' : 'Pipecat default') : '';
      add({ ...profile, minSilenceS }, note);
    }
  }
  for (const minSilenceS of SILENCES) add({ family: 'webrtc', threshold: 0.5, minSpeechS: 0.09, minSilenceS });
  for (const threshold of [20, 30]) for (const minSilenceS of SILENCES) add({ family: 'energy', threshold, minSpeechS: 0.08, minSilenceS });
  return list;
}

/** One VAD end-pointer over a data set; null when some utterance lacks its detector's track. */
export function evaluateVadEndpointer(utterances: readonly EvaluationUtterance[], endpointer: VadEndpointer, options: MetricsOptions = defaultMetricsOptions): DecisionStats | null {
  const outcomes = [];
  for (const u of utterances) {
    const frames = speechFrames(u.stream.trace, endpointer);
    if (frames === null) return null;
    outcomes.push(decisionOutcomeAtTime(u, vadFireTimeS(frames, endpointer), options));
  }
  return statsOf(utterances, outcomes);
}

/**
 * Every baseline on the same utterances and definitions as the sweep: the VAD grid (those whose
 * detector ran on every utterance) and the sherpa-onnx and Kaldi rule presets.
 */
export function evaluateBaselines(utterances: readonly EvaluationUtterance[], options: MetricsOptions = defaultMetricsOptions): BaselineResult[] {
  const results: BaselineResult[] = [];
  for (const { endpointer, name, isDefault } of baselineEndpointers()) {
    const stats = evaluateVadEndpointer(utterances, endpointer, options);
    if (stats !== null) results.push({ family: endpointer.family, name, isDefault, stats });
  }
  for (const preset of endpointPresets) {
    results.push({ family: 'rules', name: preset.name, isDefault: true, stats: evaluateConfig(utterances, preset, options) });
  }
  return results;
}
