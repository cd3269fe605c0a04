/** Decodes one audio file (or a sample buffer) with a loaded model: the non-live entry point. */
import type { DecodeResult } from '../../shared/domain/decode';
import { decodeAudioFile } from '../audio/decode-audio';
import { StreamDecoder, type DecodeOptions } from './stream-decoder';
import type { TransducerModel } from './transducer-model';

/** Samples per acceptWaveform call: 100 ms, as audio would arrive from a microphone. */
const FEED_SAMPLES = 1600;

export function decodeSamples(model: TransducerModel, samples: Float32Array, options: DecodeOptions = {}, utterance?: string): DecodeResult {
  const decoder = StreamDecoder.create(model, options);
  for (let at = 0; at < samples.length; at += FEED_SAMPLES) {
    decoder.acceptWaveform(samples.subarray(at, Math.min(samples.length, at + FEED_SAMPLES)));
  }
  return decoder.finish(utterance);
}

export async function decodeFile(model: TransducerModel, path: string, options: DecodeOptions = {}): Promise<DecodeResult> {
  const audio = await decodeAudioFile(path, { targetRate: 16000 });
  return decodeSamples(model, audio.samples, options, path);
}
