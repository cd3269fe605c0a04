import { FormatProblem } from './audio-error';

/**
 * Rates outside this range are taken as a corrupt header rather than audio: libsamplerate
 * handles conversion ratios up to 256, and nothing we record is below telephone bandwidth
 * or above 768 kHz.
 */
export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 768_000;
/** WAVE_FORMAT_EXTENSIBLE names at most 18 speaker positions; allow headroom for ambisonics. */
export const MAX_CHANNELS = 64;

export function checkSampleRate(sampleRate: number): void {
  if (!Number.isFinite(sampleRate) || sampleRate <= 0) {
    throw new FormatProblem('bad-sample-rate', `sample rate ${sampleRate} Hz is not a valid rate`);
  }
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new FormatProblem(
      'bad-sample-rate',
      `sample rate ${sampleRate} Hz is outside the supported ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz`,
    );
  }
}

export function checkChannels(channels: number): void {
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) {
    throw new FormatProblem('bad-channels', `channel count ${channels} is not between 1 and ${MAX_CHANNELS}`);
  }
}
