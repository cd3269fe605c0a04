import type { DecodeResult } from '../../shared/domain/decode';
import type { Utterance } from '../../shared/domain/session';
import { decodeAudioFile } from '../audio/decode-audio';
import { decodeSamples } from '../asr/decode-utterance';
import type { DecodeOptions } from '../asr/stream-decoder';
import type { TransducerModel } from '../asr/transducer-model';
import { vadTracks } from '../vad/vad-tracks';

const MODEL_RATE = 16000;

/**
 * Decodes an utterance: its whole file, or the segment [startS, endS) of it. The voice-activity
 * detectors run on the same samples, so the VAD end-pointers are scored on the same audio.
 */
export async function decodeUtteranceAudio(model: TransducerModel, utterance: Utterance, options: DecodeOptions): Promise<DecodeResult> {
  const audio = await decodeAudioFile(utterance.audio, { targetRate: MODEL_RATE });
  const from = Math.min(audio.samples.length, Math.round((utterance.startS ?? 0) * MODEL_RATE));
  const to = utterance.endS === undefined ? audio.samples.length : Math.min(audio.samples.length, Math.round(utterance.endS * MODEL_RATE));
  if (to <= from) throw new Error(`${utterance.audio}: the segment ${utterance.startS ?? 0}–${utterance.endS} s holds no audio (the file lasts ${audio.durationS.toFixed(2)} s)`);
  const samples = audio.samples.subarray(from, to);
  const result = decodeSamples(model, samples, options, utterance.id);
  result.trace.vad = await vadTracks(samples);
  return result;
}
