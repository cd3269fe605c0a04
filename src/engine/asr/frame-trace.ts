/** Per-encoder-frame traces: built up chunk by chunk, assembled into the API's FrameTrace. */
import type { FrameTrace } from '../../shared/domain/decode';
import type { EmittedToken, FrameDecision } from './search-types';

/** Log of the mean squared sample over each encoder frame's span of audio, fed as it streams. */
export class EnergyMeter {
  readonly logEnergy: number[] = [];
  private sum = 0;
  private count = 0;

  /** `samplesPerFrame`: audio samples per encoder frame (640 for 10 ms × 4 at 16 kHz). */
  constructor(private readonly samplesPerFrame: number) {}

  accept(samples: Float32Array): void {
    // A run of samples per frame, not a boundary check per sample: this sees every sample.
    for (let i = 0; i < samples.length; ) {
      const end = Math.min(samples.length, i + this.samplesPerFrame - this.count);
      let sum = this.sum;
      for (let k = i; k < end; k++) sum += samples[k] * samples[k];
      this.sum = sum;
      this.count += end - i;
      i = end;
      if (this.count === this.samplesPerFrame) this.close();
    }
  }

  /** Closes the last, partial frame. */
  finish(): void {
    if (this.count > 0) this.close();
  }

  private close(): void {
    // Floor so digital silence reads as a finite, very low energy.
    this.logEnergy.push(Math.log(Math.max(this.sum / this.count, 1e-10)));
    this.sum = 0;
    this.count = 0;
  }
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export interface TraceParts {
  frameShiftS: number;
  decisions: readonly FrameDecision[];
  eoqProb: readonly number[];
  logEnergy: readonly number[];
  bestTokens: readonly EmittedToken[];
}

export function assembleFrameTrace(p: TraceParts): FrameTrace {
  const numFrames = p.decisions.length;
  const emitted = new Array<number>(numFrames).fill(0);
  for (const t of p.bestTokens) if (t.frame < numFrames) emitted[t.frame]++;
  // Audio energy may cover a frame more or less than the encoder emitted; align to the encoder.
  const lastEnergy = p.logEnergy.length > 0 ? p.logEnergy[p.logEnergy.length - 1] : Math.log(1e-10);
  const logEnergy = Array.from({ length: numFrames }, (_, i) => p.logEnergy[i] ?? lastEnergy);
  return {
    frameShiftS: p.frameShiftS,
    numFrames,
    blankProb: p.decisions.map((d) => d.blankProb),
    bestToken: p.decisions.map((d) => d.bestToken),
    eoqProb: p.eoqProb.slice(0, numFrames),
    logEnergy,
    emitted,
  };
}
