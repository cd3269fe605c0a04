import libsamplerate from '@alexanderolsen/libsamplerate-js';
import { createDecimator } from './decimate';

/** libsamplerate's sinc converters; 'medium' passes 90% of the output band with 97 dB rejection. */
export type ResampleQuality = 'best' | 'medium' | 'fastest';

const CONVERTERS: Record<ResampleQuality, 0 | 1 | 2> = { best: 0, medium: 1, fastest: 2 };

/** The WASM side copies through a fixed 1,008,000-sample buffer; stay well inside it. */
const WASM_BUFFER_SAMPLES = 1_000_000;
const MAX_PIECE = 16_384;

/** A streaming mono resampler: output is aligned with the input (no added delay). */
export interface Resampler {
  /** Resamples the next piece; output lags behind input by the filter's look-ahead. */
  process(samples: Float32Array): Float32Array;
  /** Ends the stream: returns the held-back tail, so that the total is round(inputs × ratio). */
  flush(): Float32Array;
  /** Hands the converter back for the next stream; flush does it too, and calling it twice is harmless. */
  dispose(): void;
}

export function concat(parts: Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0];
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The highest rate libsamplerate-js accepts, in or out. */
const LIBSAMPLERATE_MAX_RATE = 192_000;

/**
 * A resampler for any rate the limits allow (up to 768 kHz): rates above libsamplerate's
 * 192 kHz are first decimated by a whole factor, then resampled.
 */
export async function createResampler(inputRate: number, outputRate: number, quality: ResampleQuality = 'medium'): Promise<Resampler> {
  if (inputRate <= LIBSAMPLERATE_MAX_RATE) return createSincResampler(inputRate, outputRate, quality);
  const decimator = createDecimator(Math.ceil(inputRate / LIBSAMPLERATE_MAX_RATE));
  const rest = await createSincResampler(inputRate / decimator.factor, outputRate, quality);
  return {
    process: (samples) => rest.process(decimator.process(samples)),
    flush: () => concat([rest.process(decimator.flush()), rest.flush()]),
    dispose: () => rest.dispose(),
  };
}

type Src = Awaited<ReturnType<typeof libsamplerate.create>>;

/**
 * libsamplerate converters no stream is using, by quality. Creating one instantiates its WASM
 * module (about 20 ms, longer than decoding a short clip); re-initialising an idle one for new
 * rates gives a fresh converter state in the same instance at no cost. A few per thread at most.
 */
const idleConverters = new Map<ResampleQuality, Src[]>();
const IDLE_PER_QUALITY = 2;

async function acquireConverter(inputRate: number, outputRate: number, quality: ResampleQuality): Promise<Src> {
  const src = idleConverters.get(quality)?.pop();
  if (!src) return libsamplerate.create(1, inputRate, outputRate, { converterType: CONVERTERS[quality] });
  // Each rate setter tears down the converter state and makes a new one; `ratio` it leaves alone.
  src.inputSampleRate = inputRate;
  src.outputSampleRate = outputRate;
  src.ratio = outputRate / inputRate;
  return src;
}

function releaseConverter(src: Src, quality: ResampleQuality): void {
  const idle = idleConverters.get(quality) ?? [];
  idleConverters.set(quality, idle);
  if (idle.length < IDLE_PER_QUALITY) idle.push(src);
  else src.destroy();
}

/** Wraps libsamplerate (WASM, so no system install) with its `full` API for streaming. */
async function createSincResampler(inputRate: number, outputRate: number, quality: ResampleQuality): Promise<Resampler> {
  const src = await acquireConverter(inputRate, outputRate, quality);
  const ratio = outputRate / inputRate;
  const piece = Math.max(1, Math.min(MAX_PIECE, Math.floor(WASM_BUFFER_SAMPLES / Math.max(1, ratio))));
  let consumed = 0;
  let produced = 0;
  let disposed = false;
  const dispose = (): void => {
    if (!disposed) releaseConverter(src, quality);
    disposed = true;
  };

  const run = (samples: Float32Array): Float32Array => {
    const parts: Float32Array[] = [];
    for (let at = 0; at < samples.length; at += piece) parts.push(src.full(samples.subarray(at, at + piece)));
    const out = concat(parts);
    produced += out.length;
    return out;
  };

  return {
    process(samples) {
      if (disposed) throw new Error('resampler already flushed');
      consumed += samples.length;
      return run(samples);
    },
    flush() {
      if (disposed) throw new Error('resampler already flushed');
      // The `full` API cannot signal end of input, so feed silence (what libsamplerate's own
      // end-of-input does) until the look-ahead has drained, then cut to the exact length.
      const total = Math.round(consumed * ratio);
      const parts: Float32Array[] = [];
      const silence = new Float32Array(Math.min(piece, Math.max(256, Math.ceil(inputRate / 100))));
      for (let tries = 0; produced < total && tries < 1000; tries++) parts.push(run(silence));
      dispose();
      const tail = concat(parts);
      return tail.subarray(0, Math.max(0, tail.length - (produced - total)));
    },
    dispose,
  };
}

/** Resamples a whole mono signal in one call. */
export async function resample(samples: Float32Array, inputRate: number, outputRate: number, quality?: ResampleQuality): Promise<Float32Array> {
  if (inputRate === outputRate) return samples;
  const resampler = await createResampler(inputRate, outputRate, quality);
  return concat([resampler.process(samples), resampler.flush()]);
}
