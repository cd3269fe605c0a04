import { openAudioStream } from '../audio/audio-stream';
import { downmix } from '../audio/downmix';
import { resample } from '../audio/resample';
import type { SpectrogramData } from '../../shared/domain/workbench';
import { computeFbank } from './fbank';
import { resolveFbankOptions, type FbankOptions } from './fbank-options';

export interface SpectrogramSpan {
  startS: number;
  /** Default: the end of the recording. */
  endS?: number;
  /** Frames returned at most; a longer span is shortened to fit. */
  maxFrames: number;
}

/**
 * The log-mel filterbank of a span of a recording: the features the model sees, shown as the
 * spectrogram. Streams the file and keeps only the span, so a long recording is never held whole.
 */
export async function logMelSpectrogram(path: string, span: SpectrogramSpan, fbank: Partial<FbankOptions> = {}): Promise<SpectrogramData> {
  const options = resolveFbankOptions(fbank);
  const stream = await openAudioStream(path);
  const rate = stream.sampleRate;
  const shiftS = options.frameShift / 1000;
  const maxEndS = span.startS + span.maxFrames * shiftS;
  const endS = Math.min(span.endS ?? Infinity, maxEndS);
  const first = Math.floor(span.startS * rate);
  const last = Math.floor(endS * rate);
  const kept: Float32Array[] = [];
  let position = 0;
  for await (const block of stream.blocks()) {
    const mono = downmix(block, 'mix');
    const from = Math.max(0, first - position);
    const to = Math.min(mono.length, last - position);
    if (to > from) kept.push(mono.slice(from, to));
    position += mono.length;
    if (position >= last) break;
  }
  const joined = new Float32Array(kept.reduce((n, k) => n + k.length, 0));
  let at = 0;
  for (const k of kept) {
    joined.set(k, at);
    at += k.length;
  }
  const samples = await resample(joined, rate, options.sampleFrequency);
  const frames = computeFbank(samples, options);
  const numBins = options.numMelBins;
  const values = new Array<number>(frames.length * numBins);
  frames.forEach((frame, i) => {
    for (let b = 0; b < numBins; b++) values[i * numBins + b] = frame[b];
  });
  return { startS: span.startS, frameShiftS: shiftS, numFrames: frames.length, numBins, values };
}
