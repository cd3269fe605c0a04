import { frameStart, numFrames, resolveFbankOptions, type FbankOptions, type FrameGeometry } from './fbank-options';
import { frameWindow } from './frame-window';
import { melBanks } from './mel-banks';
import { createFbankKernel, type FbankKernel } from './wasm/fbank-kernel';

/** torch.finfo(torch.float32).eps: torchaudio floors energies here before taking the log. */
export const FLOAT32_EPSILON = 1.1920928955078125e-7;

/**
 * Which real sample stands at position `j` of a signal of length `n`, with Kaldi's edge handling for snip_edges = false: the signal is mirrored at both ends including the edge
 * sample ([2 1 0 | 0 1 2 … n−1 | n−1 n−2 …]), repeatedly for very short signals.
 */
function reflectedIndex(j: number, n: number): number {
  while (j < 0 || j >= n) j = j < 0 ? -j - 1 : 2 * n - 1 - j;
  return j;
}

/** Deterministic standard normal numbers (xorshift32 + Box–Muller) for dither. */
function gaussianSource(seed: number): () => number {
  let state = seed >>> 0 || 1;
  const uniform = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * One WebAssembly kernel per set of options, with the window and mel filters it was set up
 * with. Extractors with the same options share it: a decoder makes one extractor per
 * utterance, and building the filters each time cost about as much as a second of audio's
 * frames. Sharing is safe because frames are loaded and computed in one synchronous call; each
 * worker thread has its own.
 */
const kernels = new Map<string, FbankKernel>();

function kernelFor(g: FrameGeometry): FbankKernel {
  const key = [
    g.windowType, g.windowSize, g.windowShift, g.blackmanCoeff, g.numMelBins, g.paddedSize, g.sampleFrequency, g.lowFreq, g.highFreq,
    g.preemphasisCoefficient, g.removeDcOffset, g.useEnergy, g.rawEnergy, g.energyFloor, g.usePower, g.useLogFbank, g.dither !== 0,
  ].join('|');
  let kernel = kernels.get(key);
  if (!kernel) {
    kernel = createFbankKernel(g, frameWindow(g.windowType, g.windowSize, g.blackmanCoeff), melBanks(g.numMelBins, g.paddedSize, g.sampleFrequency, g.lowFreq, g.highFreq));
    kernels.set(key, kernel);
  }
  return kernel;
}

/**
 * Turns frames of samples into rows of log mel energies, following
 * torchaudio.compliance.kaldi.fbank step by step: DC removal, pre-emphasis, window, FFT, power
 * spectrum, mel filters and log run in WebAssembly with SIMD (wasm/assembly/fbank-kernel.ts).
 * Nothing is allocated per frame. The batch and streaming extractors share it, which is what
 * makes their output identical.
 */
export class FbankComputer {
  readonly geometry: FrameGeometry;
  private readonly kernel: FbankKernel;
  private readonly gaussian: () => number;

  constructor(opts: Partial<FbankOptions> = {}) {
    const g = resolveFbankOptions(opts);
    this.geometry = g;
    this.kernel = kernelFor(g);
    this.gaussian = gaussianSource(0x5eed);
  }

  /**
   * Computes frames first … first + count − 1 of a signal into out[at …), frameDim values each.
   * `samples[k]` is signal sample `base + k`; `n` is the signal's full length when known
   * (needed only for frames that reach past its end, which then mirror back). Frames that lie
   * inside the signal go to the kernel in runs, their samples copied once for the run.
   */
  computeFrames(first: number, count: number, samples: Float32Array, base: number, n: number, out: Float32Array, at: number): void {
    const g = this.geometry;
    const { windowSize: size, windowShift: shift, frameDim: dim } = g;
    const kernel = this.kernel;
    // Dither is drawn per frame, in frame order, so dithered frames go one by one.
    const longest = g.dither !== 0 ? 1 : kernel.maxFrames;
    const end = first + count;
    for (let i = first; i < end; ) {
      const start = frameStart(i, g);
      let run = 1;
      if (start >= 0 && start + size <= n) {
        while (run < longest && i + run < end && start + run * shift + size <= n) run++;
        kernel.samples.set(samples.subarray(start - base, start - base + (run - 1) * shift + size));
      } else {
        for (let k = 0; k < size; k++) kernel.samples[k] = samples[reflectedIndex(start + k, n) - base];
      }
      if (g.dither !== 0) for (let k = 0; k < size; k++) kernel.dither[k] = g.dither * this.gaussian();
      kernel.compute(run);
      out.set(kernel.out.subarray(0, run * dim), at + (i - first) * dim);
      i += run;
    }
  }
}

/**
 * Kaldi-compatible filter-bank features of a whole signal: one Float32Array(frameDim) per
 * frame (views into one buffer), matching torchaudio.compliance.kaldi.fbank with the same
 * options. `samples` are floats in [-1, 1] at `sampleFrequency`.
 */
export function computeFbank(samples: Float32Array, opts: Partial<FbankOptions> = {}): Float32Array[] {
  const computer = new FbankComputer(opts);
  const g = computer.geometry;
  const count = numFrames(samples.length, g);
  const data = new Float32Array(count * g.frameDim);
  const frames: Float32Array[] = [];
  computer.computeFrames(0, count, samples, 0, samples.length, data, 0);
  for (let i = 0; i < count; i++) frames.push(data.subarray(i * g.frameDim, (i + 1) * g.frameDim));
  return frames;
}
