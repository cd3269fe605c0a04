import { FbankComputer } from './fbank';
import { frameStart, numFrames, type FbankOptions, type FrameGeometry } from './fbank-options';

/**
 * Fbank features of a signal that arrives in chunks of any size, frame for frame identical to
 * computeFbank on the whole signal (both use one FbankComputer, in the same frame order).
 *
 * A frame is computed as soon as all its samples have arrived. With snipEdges false, the last
 * frames reach past the end of the signal, where Kaldi mirrors it back; which samples those are
 * depends on where the signal ends, so they are held back until inputFinished().
 */
export class StreamingFbank {
  private readonly computer: FbankComputer;
  private readonly g: FrameGeometry;
  /** Samples not yet needed by any frame are dropped; buffer[0] is signal sample `base`. */
  private buffer: Float32Array;
  private base = 0;
  private length = 0;
  private received = 0;
  private computed = 0;
  private finished = false;
  private ready: Float32Array[] = [];

  constructor(opts: Partial<FbankOptions> = {}) {
    this.computer = new FbankComputer(opts);
    this.g = this.computer.geometry;
    this.buffer = new Float32Array(4 * this.g.windowSize);
  }

  /** Values per frame (numMelBins, plus one with useEnergy). */
  get frameDim(): number {
    return this.g.frameDim;
  }

  /** Frames computed since the start, popped or not. */
  get numFramesReady(): number {
    return this.computed;
  }

  /** Adds samples (floats in [-1, 1] at the configured rate) and computes the frames they complete. */
  accept(samples: Float32Array): void {
    if (this.finished) throw new Error('StreamingFbank: accept() after inputFinished()');
    this.append(samples);
    this.received += samples.length;
    const g = this.g;
    while (frameStart(this.computed, g) + g.windowSize <= this.received) this.computeNext();
    this.dropConsumed();
  }

  /** Declares the end of the signal and computes the frames that were waiting for it. */
  inputFinished(): void {
    if (this.finished) return;
    this.finished = true;
    const total = numFrames(this.received, this.g);
    while (this.computed < total) this.computeNext();
  }

  /** Frames computed since the last call, oldest first; each is a fresh Float32Array(frameDim). */
  popFrames(): Float32Array[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /**
   * Frames computed before the end never reach past the samples received, so mirroring at
   * `received` only ever applies once it is the signal's true length.
   */
  private computeNext(): void {
    const frame = new Float32Array(this.g.frameDim);
    this.computer.loadFrame(this.computed, this.buffer, this.base, this.received);
    this.computer.computeFrame(frame, 0);
    this.ready.push(frame);
    this.computed++;
  }

  private append(samples: Float32Array): void {
    const needed = this.length + samples.length;
    if (needed > this.buffer.length) {
      const grown = new Float32Array(Math.max(needed, 2 * this.buffer.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(samples, this.length);
    this.length = needed;
  }

  /**
   * Keeps only samples from the next frame's start on. Frames never look before their own start:
   * the first frame mirrors the signal's head, but it starts before sample 0, so sample 0 stays;
   * the last frames mirror the tail, which lies inside their own span.
   */
  private dropConsumed(): void {
    const keepFrom = Math.max(0, frameStart(this.computed, this.g));
    const drop = keepFrom - this.base;
    if (drop <= 0) return;
    this.buffer.copyWithin(0, drop, this.length);
    this.length -= drop;
    this.base = keepFrom;
  }
}
