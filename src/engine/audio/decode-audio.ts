import { AudioError } from './audio-error';
import { openAudioStream } from './audio-stream';
import { downmix, type ChannelChoice } from './downmix';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './limits';
import { createResampler, type Resampler, type ResampleQuality } from './resample';
import { clampToUnit } from './pcm-samples';

/** A whole recording as the recogniser takes it: mono, at the target rate. */
export interface DecodedAudio {
  /** Mono samples in [-1, 1]. */
  samples: Float32Array;
  sampleRate: number;
  sourceRate: number;
  channels: number;
  durationS: number;
  format: string;
  /** Recoverable problems met while decoding (see AudioStream.warnings). */
  warnings: string[];
}

export interface DecodeOptions {
  /** A channel index, or 'mix' (default) for the mean of all channels. */
  channel?: ChannelChoice;
  /** Default 16000. */
  targetRate?: number;
  /** Default 'medium'. */
  quality?: ResampleQuality;
  /**
   * Recordings longer than this are refused, because the result is held whole in memory
   * (4 h at 16 kHz is 920 MB). Default 4 h; stream with openAudioStream beyond that.
   */
  maxDurationS?: number;
}

const DEFAULT_MAX_DURATION_S = 4 * 3600;

function clamped(samples: Float32Array): Float32Array {
  clampToUnit(samples);
  return samples;
}

/** A Float32Array that grows by doubling; sized exactly when the length is known up front. */
class SampleSink {
  private buf: Float32Array;
  length = 0;

  constructor(capacity: number) {
    this.buf = new Float32Array(Math.max(1024, capacity));
  }

  push(samples: Float32Array): void {
    if (this.length + samples.length > this.buf.length) {
      const grown = new Float32Array(Math.max(this.buf.length * 2, this.length + samples.length));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(samples, this.length);
    this.length += samples.length;
  }

  result(): Float32Array {
    return this.length === this.buf.length ? this.buf : this.buf.slice(0, this.length);
  }
}

/**
 * Decodes WAV, FLAC, MP3 or Ogg Vorbis/Opus to mono at `targetRate`, streaming through the
 * downmix and the resampler so that only the result is ever held whole.
 */
export async function decodeAudioFile(path: string, opts: DecodeOptions = {}): Promise<DecodedAudio> {
  const targetRate = opts.targetRate ?? 16000;
  const choice = opts.channel ?? 'mix';
  const maxDurationS = opts.maxDurationS ?? DEFAULT_MAX_DURATION_S;
  if (!Number.isInteger(targetRate) || targetRate < MIN_SAMPLE_RATE || targetRate > MAX_SAMPLE_RATE) {
    throw new AudioError(path, 'bad-option', `target rate ${targetRate} Hz is not an integer in ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz`);
  }
  const stream = await openAudioStream(path, { preferredRate: targetRate });
  const blocks = stream.blocks();
  let resampler: Resampler | undefined;
  try {
    if (choice !== 'mix' && !(Number.isInteger(choice) && choice >= 0 && choice < stream.channels)) {
      throw new AudioError(path, 'bad-option', `channel ${choice} does not exist (the file has ${stream.channels})`);
    }
    const tooLong = (frames: number): AudioError =>
      new AudioError(
        path,
        'too-long',
        `recording is ${(frames / stream.sampleRate / 3600).toFixed(1)} h long, over the ${(maxDurationS / 3600).toFixed(1)} h that decodeAudioFile holds in memory`,
      );
    if (stream.expectedFrames !== undefined && stream.expectedFrames / stream.sampleRate > maxDurationS) {
      throw tooLong(stream.expectedFrames);
    }
    const ratio = targetRate / stream.sampleRate;
    // Compressed formats do not say their length up front: room for 2 s, then doubling.
    const sink = new SampleSink(Math.round((stream.expectedFrames ?? 2 * stream.sampleRate) * ratio));
    if (stream.sampleRate !== targetRate) {
      // libsamplerate throws bare strings: name the file and the conversion.
      resampler = await createResampler(stream.sampleRate, targetRate, opts.quality).catch((error: unknown) => {
        throw new AudioError(path, 'decode-failed', `cannot resample ${stream.sampleRate} Hz to ${targetRate} Hz: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    let frames = 0;
    for await (const block of blocks) {
      frames += block[0].length;
      if (frames / stream.sampleRate > maxDurationS) throw tooLong(frames);
      const mono = downmix(block, choice);
      sink.push(resampler ? clamped(resampler.process(mono)) : mono);
    }
    // A sinc filter rings past ±1 next to full-scale steps; the recogniser is promised [−1, 1].
    if (resampler) sink.push(clamped(resampler.flush()));
    return {
      samples: sink.result(),
      sampleRate: targetRate,
      sourceRate: stream.codedRate ?? stream.sampleRate,
      channels: stream.channels,
      durationS: frames / stream.sampleRate,
      format: stream.format,
      warnings: stream.warnings,
    };
  } finally {
    resampler?.dispose();
    await stream.close();
  }
}
