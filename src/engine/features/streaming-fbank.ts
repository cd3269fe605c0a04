import { FbankComputer } from './fbank';
import { frameStart, numFrames, type FbankOptions, type FrameGeometry } from './fbank-options';

/**
 * Fbank features of a signal that arrives in chunks of any size, frame for frame identical to
 * computeFbank on the whole signal (both use one FbankComputer, in the same frame order).
 *
 * A frame is computed as soon as all its samples have arrived. With snipEdges false, the last
 * frames reach past the end of the signal, where Kaldi mirrors it back; which samples those are
 * depends on where the signal ends, so they are held back until inputFinished().
 *
 * Computed frames wait in one flat queue (frames × frameDim) until the consumer copies them
 * out (copyFrames) and drops them (dropFrames): a decoder reads overlapping chunks straight
 * from it, with no object per frame.
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
  /** Frames computed and not dropped: queue[0 … queued × frameDim). */
  private queue: Float32Array;
  private queued = 0;

  constructor(opts: Partial<FbankOptions> = {}) {
    this.computer = new FbankComputer(opts);
    this.g = this.computer.geometry;
    this.buffer = new Float32Array(4 * this.g.windowSize);
    this.queue = new Float32Array(64 * this.g.frameDim);
  }

  /** Values per frame (numMelBins, plus one with useEnergy). */
  get frameDim(): number {
    return this.g.frameDim;
  }

  /** Frames computed since the start, dropped or not. */
  get numFramesReady(): number {
    return this.computed;
  }

  /** Frames the samples received so far give once the input is declared finished (Kaldi's NumFrames). */
  get numFramesOfInput(): number {
    return numFrames(this.received, this.g);
  }

  /** Frames computed and not yet dropped. */
  get numFramesQueued(): number {
    return this.queued;
  }

  /** Adds samples (floats in [-1, 1] at the configured rate) and computes the frames they complete. */
  accept(samples: Float32Array): void {
    if (this.finished) throw new Error('StreamingFbank: accept() after inputFinished()');
    this.append(samples);
    this.received += samples.length;
    const g = this.g;
    let ready = this.computed;
    while (frameStart(ready, g) + g.windowSize <= this.received) ready++;
    this.computeUpTo(ready);
    this.dropConsumed();
  }

  /** Declares the end of the signal and computes the frames that were waiting for it. */
  inputFinished(): void {
    if (this.finished) return;
    this.finished = true;
    this.computeUpTo(numFrames(this.received, this.g));
  }

  /** Copies `count` queued frames, from the `first`-th oldest on, into out[at …). */
  copyFrames(first: number, count: number, out: Float32Array, at = 0): void {
    if (first < 0 || count < 0 || first + count > this.queued) throw new RangeError(`StreamingFbank: frames ${first}…${first + count} of ${this.queued} queued`);
    const dim = this.g.frameDim;
    out.set(this.queue.subarray(first * dim, (first + count) * dim), at);
  }

  /** Forgets the `count` oldest queued frames. */
  dropFrames(count: number): void {
    const n = Math.min(count, this.queued);
    const dim = this.g.frameDim;
    this.queue.copyWithin(0, n * dim, this.queued * dim);
    this.queued -= n;
  }

  /** All queued frames, oldest first, each a fresh Float32Array(frameDim); the queue is emptied. */
  popFrames(): Float32Array[] {
    const dim = this.g.frameDim;
    const out = Array.from({ length: this.queued }, (_, i) => this.queue.slice(i * dim, (i + 1) * dim));
    this.queued = 0;
    return out;
  }

  /**
   * Frames computed before the end never reach past the samples received, so mirroring at
   * `received` only ever applies once it is the signal's true length.
   */
  private computeUpTo(end: number): void {
    if (end <= this.computed) return;
    const dim = this.g.frameDim;
    const needed = (this.queued + end - this.computed) * dim;
    if (needed > this.queue.length) {
      const grown = new Float32Array(Math.max(needed, 2 * this.queue.length));
      grown.set(this.queue.subarray(0, this.queued * dim));
      this.queue = grown;
    }
    this.computer.computeFrames(this.computed, end - this.computed, this.buffer, this.base, this.received, this.queue, this.queued * dim);
    this.queued += end - this.computed;
    this.computed = end;
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
