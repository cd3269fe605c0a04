/**
 * Integer-factor decimation for rates above what libsamplerate takes (192 kHz): a windowed-sinc
 * low-pass (Blackman, cut-off at 45 % of the new Nyquist) keeping every k-th sample, streamed
 * with its history so blocks of any size give the same output. Its delay is compensated, so
 * the output stays aligned with the input like the Resampler it feeds.
 */

/** Taps per unit of the factor on each side: 97 taps at k = 4 reject the folded band by > 70 dB. */
const HALF_TAPS_PER_FACTOR = 12;

function lowpass(k: number): Float32Array {
  const half = HALF_TAPS_PER_FACTOR * k;
  const taps = new Float32Array(2 * half + 1);
  const cutoff = 0.45 / k; // cycles per input sample
  let sum = 0;
  for (let i = 0; i < taps.length; i++) {
    const n = i - half;
    const sinc = n === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * n) / (Math.PI * n);
    const window = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (taps.length - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (taps.length - 1));
    taps[i] = sinc * window;
    sum += taps[i];
  }
  for (let i = 0; i < taps.length; i++) taps[i] /= sum;
  return taps;
}

export interface Decimator {
  readonly factor: number;
  process(samples: Float32Array): Float32Array;
  /** The last outputs, held back by the filter's delay. */
  flush(): Float32Array;
}

export function createDecimator(factor: number): Decimator {
  const taps = lowpass(factor);
  const span = taps.length - 1;
  let history = new Float32Array(span);
  /** Index in (history + next block) of the newest input of the next output. */
  let next = span;
  /** Outputs still to drop: the filter's delay of HALF_TAPS_PER_FACTOR outputs. */
  let skip = HALF_TAPS_PER_FACTOR;

  const run = (samples: Float32Array): Float32Array => {
    const buf = new Float32Array(span + samples.length);
    buf.set(history);
    buf.set(samples, span);
    const out: number[] = [];
    for (; next < buf.length; next += factor) {
      let acc = 0;
      for (let j = 0; j < taps.length; j++) acc += taps[j] * buf[next - j];
      if (skip > 0) skip -= 1;
      else out.push(acc);
    }
    history = buf.slice(buf.length - span);
    next -= buf.length - span;
    return Float32Array.from(out);
  };

  return {
    factor,
    process: run,
    flush: () => run(new Float32Array(HALF_TAPS_PER_FACTOR * factor)),
  };
}
