import { frameStart, numFrames, resolveFbankOptions, type FbankOptions, type FrameGeometry } from './fbank-options';
import { RealFft } from './fft';
import { frameWindow } from './frame-window';
import { melBanks, type MelBanks } from './mel-banks';

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

interface FbankTables {
  window: Float64Array;
  banks: MelBanks;
  /** Its tables never change and its scratch is used only within one synchronous computeFrame. */
  fft: RealFft;
}

/**
 * Window, mel filters and FFT per geometry. They never change once built, so extractors with
 * the same options share them: a decoder makes one extractor per utterance, and rebuilding the
 * filters each time cost about as much as a second of audio's FFTs (for one-second clips the
 * FFT's tables were still a tenth of the decode).
 */
const tablesByGeometry = new Map<string, FbankTables>();

function tablesFor(g: FrameGeometry): FbankTables {
  const key = [g.windowType, g.windowSize, g.blackmanCoeff, g.numMelBins, g.paddedSize, g.sampleFrequency, g.lowFreq, g.highFreq].join('|');
  let tables = tablesByGeometry.get(key);
  if (!tables) {
    tables = {
      window: frameWindow(g.windowType, g.windowSize, g.blackmanCoeff),
      banks: melBanks(g.numMelBins, g.paddedSize, g.sampleFrequency, g.lowFreq, g.highFreq),
      fft: new RealFft(g.paddedSize),
    };
    tablesByGeometry.set(key, tables);
  }
  return tables;
}

/**
 * Turns one frame of samples into one row of log mel energies, following
 * torchaudio.compliance.kaldi.fbank step by step. Holds all scratch buffers, so computing a frame
 * allocates nothing. The batch and streaming extractors share it, which is what makes their
 * output identical.
 */
export class FbankComputer {
  readonly geometry: FrameGeometry;
  private readonly window: Float64Array;
  private readonly banks: MelBanks;
  private readonly fft: RealFft;
  private readonly frame: Float64Array;
  private readonly padded: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly gaussian: () => number;
  /** Sum of the loaded frame's samples. */
  private frameSum = 0;
  /** Mel energies of the frame, plus the scratch slot MelBanks.lowerFilter points past the last filter with. */
  private readonly mel: Float64Array;

  constructor(opts: Partial<FbankOptions> = {}) {
    const g = resolveFbankOptions(opts);
    this.geometry = g;
    ({ window: this.window, banks: this.banks, fft: this.fft } = tablesFor(g));
    this.frame = new Float64Array(g.windowSize);
    this.padded = new Float64Array(g.paddedSize);
    this.spectrum = new Float64Array(g.paddedSize / 2 + 1);
    this.mel = new Float64Array(g.numMelBins + 2);
    this.gaussian = gaussianSource(0x5eed);
  }

  /**
   * Copies frame `index` of a signal into the scratch frame. `samples[k]` is signal sample
   * `base + k`; `n` is the signal's full length when known (needed only for frames that reach
   * past its end, which then mirror back).
   */
  loadFrame(index: number, samples: Float32Array, base: number, n: number): void {
    const g = this.geometry;
    const start = frameStart(index, g);
    const frame = this.frame;
    const size = g.windowSize;
    // The sum comes along with the copy: DC removal needs the frame's mean.
    let sum = 0;
    if (start >= 0 && start + size <= n) {
      for (let k = 0, at = start - base; k < size; k++, at++) {
        const x = samples[at];
        frame[k] = x;
        sum += x;
      }
    } else {
      for (let k = 0; k < size; k++) {
        const x = samples[reflectedIndex(start + k, n) - base];
        frame[k] = x;
        sum += x;
      }
    }
    this.frameSum = sum;
  }

  /** Computes the loaded frame into out[at … at + frameDim). */
  computeFrame(out: Float32Array, at: number): void {
    const g = this.geometry;
    const frame = this.frame;
    const size = g.windowSize;
    let sum = this.frameSum;
    if (g.dither !== 0) {
      sum = 0;
      for (let k = 0; k < size; k++) sum += frame[k] += g.dither * this.gaussian();
    }
    let mean = g.removeDcOffset ? sum / size : 0;
    let logEnergy = 0;
    if (g.useEnergy && g.rawEnergy) {
      for (let k = 0; k < size; k++) frame[k] -= mean;
      mean = 0;
      logEnergy = this.logEnergy(frame, size);
    }
    const padded = this.padded;
    const window = this.window;
    const c = g.preemphasisCoefficient;
    // DC removal, pre-emphasis (the first sample is its own predecessor, torchaudio's replicate
    // pad) and the window in one pass: (x[k] − m) − c (x[k−1] − m) = x[k] − c x[k−1] − (1 − c) m.
    const shift = (1 - c) * mean;
    let prev = frame[0];
    for (let k = 0; k < size; k++) {
      const x = frame[k];
      padded[k] = (x - c * prev - shift) * window[k];
      prev = x;
    }
    if (g.useEnergy && !g.rawEnergy) logEnergy = this.logEnergy(padded, g.paddedSize);

    const spectrum = this.spectrum;
    this.fft.powerSpectrum(padded, spectrum);
    if (!g.usePower) for (let k = 0; k < spectrum.length; k++) spectrum[k] = Math.sqrt(spectrum[k]);

    const { firstBin, endBin, lowerFilter, lowerWeight, upperWeight } = this.banks;
    const mel = this.mel;
    mel.fill(0);
    // Bins in ascending order, so each filter sums its bins in the same order as a loop per filter.
    for (let k = firstBin; k < endBin; k++) {
      const p = spectrum[k];
      const m = lowerFilter[k];
      mel[m] += lowerWeight[k] * p;
      mel[m + 1] += upperWeight[k] * p;
    }
    const bins = g.numMelBins;
    let o = at;
    if (g.useEnergy) out[o++] = logEnergy;
    if (g.useLogFbank) for (let m = 0; m < bins; m++, o++) out[o] = Math.log(mel[m] > FLOAT32_EPSILON ? mel[m] : FLOAT32_EPSILON);
    else for (let m = 0; m < bins; m++, o++) out[o] = mel[m];
  }

  private logEnergy(x: Float64Array, length: number): number {
    let e = 0;
    for (let k = 0; k < length; k++) e += x[k] * x[k];
    const log = Math.log(Math.max(e, FLOAT32_EPSILON));
    return this.geometry.energyFloor > 0 ? Math.max(log, Math.log(this.geometry.energyFloor)) : log;
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
  for (let i = 0; i < count; i++) {
    computer.loadFrame(i, samples, 0, samples.length);
    computer.computeFrame(data, i * g.frameDim);
    frames.push(data.subarray(i * g.frameDim, (i + 1) * g.frameDim));
  }
  return frames;
}
