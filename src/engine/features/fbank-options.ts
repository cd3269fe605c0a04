/** Window shapes Kaldi (and torchaudio.compliance.kaldi) offer. */
export type WindowType = 'povey' | 'hamming' | 'hanning' | 'rectangular' | 'blackman';

/**
 * Kaldi fbank options, named as in torchaudio.compliance.kaldi.fbank (camelCase). The defaults
 * are sherpa-onnx's, and the trainer's call:
 * fbank(wave, num_mel_bins=80, frame_length=25, frame_shift=10, window_type='povey',
 *       preemphasis_coefficient=0.97, remove_dc_offset=True, dither=0.0, low_freq=20,
 *       high_freq=-400, snip_edges=False, energy_floor=0.0, use_energy=False,
 *       sample_frequency=16000)
 */
export interface FbankOptions {
  sampleFrequency: number;
  /** Window length in ms. */
  frameLength: number;
  /** Frame shift in ms. */
  frameShift: number;
  numMelBins: number;
  /** Lowest mel filter edge in Hz. */
  lowFreq: number;
  /** Highest mel filter edge in Hz; zero or negative counts down from Nyquist. */
  highFreq: number;
  windowType: WindowType;
  blackmanCoeff: number;
  preemphasisCoefficient: number;
  removeDcOffset: boolean;
  /** Gaussian dither amplitude; 0 makes features deterministic. */
  dither: number;
  /**
   * true: only frames that fit in the signal. false: one frame per shift, centred, the signal
   * reflected at both ends (Kaldi's default, and the model's).
   */
  snipEdges: boolean;
  /** With useEnergy, log energy is floored at log(energyFloor) when energyFloor > 0. */
  energyFloor: number;
  /** Prepend the frame's log energy as an extra first column. */
  useEnergy: boolean;
  /** Take the energy before pre-emphasis and windowing. */
  rawEnergy: boolean;
  /** Power spectrum (true) or magnitude (false). */
  usePower: boolean;
  /** Natural log of the mel energies, floored at float32 epsilon. */
  useLogFbank: boolean;
}

export const DEFAULT_FBANK_OPTIONS: Readonly<FbankOptions> = Object.freeze({
  sampleFrequency: 16000,
  frameLength: 25,
  frameShift: 10,
  numMelBins: 80,
  lowFreq: 20,
  highFreq: -400,
  windowType: 'povey',
  blackmanCoeff: 0.42,
  preemphasisCoefficient: 0.97,
  removeDcOffset: true,
  dither: 0,
  snipEdges: false,
  energyFloor: 0,
  useEnergy: false,
  rawEnergy: true,
  usePower: true,
  useLogFbank: true,
});

/** Options plus the sizes in samples that follow from them. */
export interface FrameGeometry extends FbankOptions {
  /** Samples per window (400 at the defaults). */
  windowSize: number;
  /** Samples per shift (160). */
  windowShift: number;
  /** FFT size: the window rounded up to a power of two (512). */
  paddedSize: number;
  /** Values per output frame: numMelBins, plus one with useEnergy. */
  frameDim: number;
}

/** Fills in defaults and checks the combination, as torchaudio's _get_waveform_and_window_properties does. */
export function resolveFbankOptions(opts: Partial<FbankOptions> = {}): FrameGeometry {
  const o: FbankOptions = { ...DEFAULT_FBANK_OPTIONS, ...opts };
  // torchaudio truncates (int(...)), and so must we for identical frame counts.
  const windowSize = Math.trunc((o.sampleFrequency * o.frameLength) / 1000);
  const windowShift = Math.trunc((o.sampleFrequency * o.frameShift) / 1000);
  if (!(windowSize >= 5 && windowShift >= 1)) {
    throw new RangeError(`fbank: window of ${windowSize} samples and shift of ${windowShift} are too small`);
  }
  const nyquist = o.sampleFrequency / 2;
  const high = o.highFreq <= 0 ? o.highFreq + nyquist : o.highFreq;
  if (!(o.numMelBins >= 3 && Number.isInteger(o.numMelBins))) throw new RangeError(`fbank: numMelBins ${o.numMelBins} must be an integer ≥ 3`);
  if (!(o.lowFreq >= 0 && o.lowFreq < high && high <= nyquist)) {
    throw new RangeError(`fbank: need 0 ≤ lowFreq < highFreq ≤ Nyquist, got ${o.lowFreq} and ${high} Hz`);
  }
  let paddedSize = 1;
  while (paddedSize < windowSize) paddedSize *= 2;
  return { ...o, windowSize, windowShift, paddedSize, frameDim: o.numMelBins + (o.useEnergy ? 1 : 0) };
}

/** Frames that `numSamples` samples give: Kaldi's NumFrames. */
export function numFrames(numSamples: number, g: Pick<FrameGeometry, 'windowSize' | 'windowShift' | 'snipEdges'>): number {
  if (g.snipEdges) return numSamples < g.windowSize ? 0 : 1 + Math.floor((numSamples - g.windowSize) / g.windowShift);
  return Math.floor((numSamples + Math.floor(g.windowShift / 2)) / g.windowShift);
}

/** First sample of frame `i` (negative before the signal when snipEdges is false). */
export function frameStart(i: number, g: Pick<FrameGeometry, 'windowSize' | 'windowShift' | 'snipEdges'>): number {
  if (g.snipEdges) return i * g.windowShift;
  return i * g.windowShift + Math.floor(g.windowShift / 2) - Math.floor(g.windowSize / 2);
}
