import { openAudioStream } from './audio-stream';

/** One resolution: per channel, the min and max sample of each bucket of samplesPerPeak frames. */
export interface PeakLevel {
  samplesPerPeak: number;
  min: Float32Array[];
  max: Float32Array[];
}

/** A recording's waveform at several resolutions, finest first, each half the one before. */
export interface PeakPyramid {
  format: string;
  sampleRate: number;
  channels: number;
  frames: number;
  durationS: number;
  levels: PeakLevel[];
}

export interface PeaksOptions {
  /** Frames per bucket at the finest level. Default 256 (62.5 buckets per second at 16 kHz). */
  samplesPerPeak?: number;
  /** Coarser levels are added until one has at most this many buckets. Default 1000. */
  coarsestPeaks?: number;
}

/** A Float32Array that grows by doubling, so that the finest level needs no length up front. */
class GrowingFloats {
  data = new Float32Array(4096);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }

  result(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/** Halves a level's resolution: each new bucket covers two old ones (the last may cover one). */
function coarsen(level: PeakLevel): PeakLevel {
  const halve = (values: Float32Array, pick: (a: number, b: number) => number): Float32Array => {
    const out = new Float32Array(Math.ceil(values.length / 2));
    for (let i = 0; i < out.length; i++) {
      const a = values[2 * i];
      out[i] = 2 * i + 1 < values.length ? pick(a, values[2 * i + 1]) : a;
    }
    return out;
  };
  return {
    samplesPerPeak: level.samplesPerPeak * 2,
    min: level.min.map((v) => halve(v, Math.min)),
    max: level.max.map((v) => halve(v, Math.max)),
  };
}

/**
 * Reads the recording once, block by block, keeping only the min and max of each bucket, so that
 * memory grows with the number of buckets and never with the recording (a 3-hour 16 kHz mono
 * file gives 675,000 buckets: 5.4 MB). Coarser levels are built from the finest, not from audio.
 */
export async function computePeaks(path: string, opts: PeaksOptions = {}): Promise<PeakPyramid> {
  const spp = opts.samplesPerPeak ?? 256;
  const coarsest = opts.coarsestPeaks ?? 1000;
  if (!(Number.isInteger(spp) && spp >= 1)) throw new RangeError(`samplesPerPeak ${spp} must be a positive integer`);
  const stream = await openAudioStream(path);
  const n = stream.channels;
  const mins = Array.from({ length: n }, () => new GrowingFloats());
  const maxs = Array.from({ length: n }, () => new GrowingFloats());
  const curMin = new Float64Array(n).fill(Infinity);
  const curMax = new Float64Array(n).fill(-Infinity);
  let fill = 0;
  let frames = 0;
  for await (const block of stream.blocks()) {
    const length = block[0].length;
    frames += length;
    for (let start = 0; start < length; ) {
      const end = Math.min(length, start + (spp - fill));
      for (let c = 0; c < n; c++) {
        const x = block[c];
        let lo = curMin[c];
        let hi = curMax[c];
        for (let i = start; i < end; i++) {
          const v = x[i];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        curMin[c] = lo;
        curMax[c] = hi;
      }
      fill += end - start;
      start = end;
      if (fill === spp) {
        for (let c = 0; c < n; c++) {
          mins[c].push(curMin[c]);
          maxs[c].push(curMax[c]);
        }
        curMin.fill(Infinity);
        curMax.fill(-Infinity);
        fill = 0;
      }
    }
  }
  if (fill > 0) {
    for (let c = 0; c < n; c++) {
      mins[c].push(curMin[c]);
      maxs[c].push(curMax[c]);
    }
  }
  const levels: PeakLevel[] = [{ samplesPerPeak: spp, min: mins.map((m) => m.result()), max: maxs.map((m) => m.result()) }];
  while (levels[levels.length - 1].min[0].length > coarsest) levels.push(coarsen(levels[levels.length - 1]));
  return {
    format: stream.format,
    sampleRate: stream.sampleRate,
    channels: n,
    frames,
    durationS: frames / stream.sampleRate,
    levels,
  };
}

/**
 * Buckets of at least `samplesPerPeak` frames (the next multiple of a level) in wavesurfer.js form: per channel, the sample of
 * largest magnitude (sign kept), as WaveSurfer.exportPeaks() gives. Uses the coarsest level that
 * is still fine enough, so the cost is proportional to the output.
 */
export function peaksAt(pyramid: PeakPyramid, samplesPerPeak: number): { samplesPerPeak: number; peaks: number[][] } {
  let level = pyramid.levels[0];
  for (const l of pyramid.levels) if (l.samplesPerPeak <= samplesPerPeak) level = l;
  const group = Math.max(1, Math.ceil(samplesPerPeak / level.samplesPerPeak));
  const count = Math.ceil(level.min[0].length / group);
  const peaks = level.min.map((mins, c) => {
    const maxs = level.max[c];
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = i * group, end = Math.min(mins.length, j + group); j < end; j++) {
        if (mins[j] < lo) lo = mins[j];
        if (maxs[j] > hi) hi = maxs[j];
      }
      // Rounded like exportPeaks' default precision: 4 decimals keep the JSON small.
      out[i] = Math.round((hi >= -lo ? hi : lo) * 1e4) / 1e4;
    }
    return out;
  });
  return { samplesPerPeak: group * level.samplesPerPeak, peaks };
}
