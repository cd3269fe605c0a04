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

/**
 * A Float32Array that grows by doubling; sized exactly when the length is known up front. A
 * recording that arrives in one block (a short clip) is kept as that block, not copied: blocks
 * pushed with `keep` are the sink's own and do not change afterwards.
 */
class SampleSink {
  private buf: Float32Array | undefined;
  private only: Float32Array | undefined;
  length = 0;

  constructor(private readonly capacity: number) {}

  push(samples: Float32Array, keep = false): void {
    if (this.length === 0 && keep) {
      this.only = samples;
      this.length = samples.length;
      return;
    }
    const held = this.only;
    this.only = undefined;
    const buf = this.buf ?? new Float32Array(Math.max(1024, this.capacity, this.length + samples.length));
    if (held) buf.set(held);
    this.buf = this.length + samples.length > buf.length ? grown(buf, this.length, this.length + samples.length) : buf;
    this.buf.set(samples, this.length);
    this.length += samples.length;
  }

  result(): Float32Array {
    const out = this.only ?? this.buf ?? new Float32Array(0);
    // Exact: callers may hand the result's whole buffer on (to a worker, to a file).
    return out.length === this.length && out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : out.slice(0, this.length);
  }
}

function grown(buf: Float32Array, used: number, needed: number): Float32Array {
  const out = new Float32Array(Math.max(buf.length * 2, needed));
  out.set(buf.subarray(0, used));
  return out;
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
      // Stream blocks are fresh arrays, not reused by the stream: the sink may keep them.
      if (resampler) sink.push(clamped(resampler.process(mono)));
      else sink.push(mono, true);
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
