import type { DecodeResult } from '../../shared/domain/decode';
import type { Utterance } from '../../shared/domain/session';
import { decodeAudioFile } from '../audio/decode-audio';
import { decodeSamples } from '../asr/decode-utterance';
import type { DecodeOptions } from '../asr/stream-decoder';
import type { TransducerModel } from '../asr/transducer-model';
import { vadTracks } from '../vad/vad-tracks';

const MODEL_RATE = 16000;

/** An utterance's 16 kHz samples, and what the audio reader had to mend to read them. */
export interface UtteranceSamples {
  samples: Float32Array;
  repairs: string[];
}

/** Reads an utterance: its whole file, or the segment [startS, endS) of it. */
export async function utteranceSamples(utterance: Utterance): Promise<UtteranceSamples> {
  const audio = await decodeAudioFile(utterance.audio, { targetRate: MODEL_RATE });
  const from = Math.min(audio.samples.length, Math.round((utterance.startS ?? 0) * MODEL_RATE));
  const to = utterance.endS === undefined ? audio.samples.length : Math.min(audio.samples.length, Math.round(utterance.endS * MODEL_RATE));
  if (to <= from) {
    const lasts = `the file lasts ${audio.durationS.toFixed(2)} s`;
    const segment = utterance.startS !== undefined || utterance.endS !== undefined ? `the segment ${utterance.startS ?? 0}–${utterance.endS ?? audio.durationS.toFixed(2)} s holds no audio (${lasts})` : `holds no audio (${lasts})`;
    throw new Error(`${utterance.audio}: ${segment}${audio.warnings.length ? `; ${audio.warnings.join('; ')}` : ''}`);
  }
  return { samples: audio.samples.subarray(from, to), repairs: audio.warnings };
}

/**
 * Completes a decode of those samples: the voice-activity detectors run on the same samples,
 * so the VAD end-pointers are scored on the same audio, and the repairs come back with the
 * result, so no repair goes unreported.
 */
export async function withAudioTracks(result: DecodeResult, audio: UtteranceSamples): Promise<DecodeResult> {
  result.trace.vad = await vadTracks(audio.samples);
  return audio.repairs.length > 0 ? { ...result, repairs: [...audio.repairs] } : result;
}

/** Decodes an utterance (see utteranceSamples and withAudioTracks). */
export async function decodeUtteranceAudio(model: TransducerModel, utterance: Utterance, options: DecodeOptions): Promise<DecodeResult> {
  const audio = await utteranceSamples(utterance);
  return withAudioTracks(decodeSamples(model, audio.samples, options, utterance.id), audio);
}
