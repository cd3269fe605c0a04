/**
 * Streaming greedy search: at each encoder frame take the joiner's argmax; on a non-blank,
 * emit it, update the prediction network, and (up to `maxSymbolsPerFrame`) ask the joiner
 * again on the same frame. With the default of 1 this is sherpa-onnx's greedy search.
 *
 * The prediction row only changes on an emission, so the joiner runs once over all the
 * chunk's remaining frames and again only after each emission: per-call overhead dominates
 * a small joiner, and most frames are blank. Per frame nothing is allocated: the verdicts go
 * to number arrays, and the repeated prediction rows to one scratch buffer.
 */
import { initialContext, isBlankLike, nextContext, type JointNetwork } from './joint-network';
import { argmaxRow, logSumExpRow } from './log-softmax';
import { PredictionCache } from './prediction-cache';
import type { EmittedToken, FrameDecision, SearchHypothesis } from './search-types';

export interface GreedyOptions {
  /** Most tokens emitted on one encoder frame (default 1, as sherpa-onnx). */
  maxSymbolsPerFrame?: number;
}

export class GreedySearch {
  /** The joiner's verdict at each frame decoded so far (first call on the frame). */
  private readonly blankProbs: number[] = [];
  private readonly bestTokens: number[] = [];
  private readonly maxSymbolsPerFrame: number;
  private readonly tokens: EmittedToken[] = [];
  private context: number[];
  private decoderRow: Float32Array | null = null;
  /** decoderRow repeated `repeatedRows` times, for the joiner's batched call. */
  private repeated = new Float32Array(0);
  private repeatedRows = 0;
  private readonly predictions: PredictionCache;
  private tokenLogProbSum = 0;
  private blankLogProbSum = 0;
  private pendingBlankLogProb = 0;

  constructor(
    private readonly net: JointNetwork,
    options: GreedyOptions = {},
  ) {
    this.maxSymbolsPerFrame = Math.max(1, options.maxSymbolsPerFrame ?? 1);
    this.context = initialContext(net);
    this.predictions = PredictionCache.singles(net);
  }

  get numFrames(): number {
    return this.blankProbs.length;
  }

  /** The verdict at each frame decoded so far, as FrameDecision objects (made on request). */
  get decisions(): FrameDecision[] {
    return this.blankProbs.map((blankProb, i) => ({ blankProb, bestToken: this.bestTokens[i] }));
  }

  /** Decodes one chunk of encoder output (`numFrames` × joinerDim, row-major). */
  acceptFrames(encoderOut: Float32Array, numFrames: number): void {
    const dim = this.net.joinerDim;
    this.decoderRow ??= this.predictions.row(this.context);
    let t = 0;
    while (t < numFrames) {
      const rows = numFrames - t;
      const logits = this.net.runJoiner(encoderOut.subarray(t * dim, numFrames * dim), this.decoderRows(rows), rows);
      let emittedAt = -1;
      for (let r = 0; r < rows && emittedAt < 0; r++) {
        const frame = this.blankProbs.length;
        const token = this.decide(logits, r, true);
        if (isBlankLike(this.net, token)) continue;
        this.emit(token, frame, logits, r);
        this.moreSymbolsOnFrame(encoderOut.subarray((t + r) * dim, (t + r + 1) * dim), frame);
        emittedAt = t + r;
      }
      t = emittedAt < 0 ? numFrames : emittedAt + 1;
    }
  }

  best(): SearchHypothesis {
    return {
      tokens: [...this.tokens],
      acousticScore: this.tokenLogProbSum + this.blankLogProbSum,
      biasScore: 0,
      lmScore: 0,
      trailingBlankLogProb: this.pendingBlankLogProb,
    };
  }

  tokenIds(): number[] {
    return this.tokens.map((t) => t.id);
  }

  /** The current prediction row `rows` times over (a view of the scratch buffer). */
  private decoderRows(rows: number): Float32Array {
    const row = this.decoderRow as Float32Array;
    const dim = row.length;
    if (rows > this.repeated.length / dim) {
      this.repeated = new Float32Array(rows * dim);
      this.repeatedRows = 0;
    }
    for (let r = this.repeatedRows; r < rows; r++) this.repeated.set(row, r * dim);
    this.repeatedRows = Math.max(this.repeatedRows, rows);
    return this.repeated.subarray(0, rows * dim);
  }

  /** After an emission, the same frame may emit again with the new prediction row. */
  private moreSymbolsOnFrame(encoderRow: Float32Array, frame: number): void {
    for (let symbols = 1; symbols < this.maxSymbolsPerFrame; symbols++) {
      const logits = this.net.runJoiner(encoderRow, this.decoderRow as Float32Array, 1);
      const token = this.decide(logits, 0, false);
      if (isBlankLike(this.net, token)) return;
      this.emit(token, frame, logits, 0);
    }
  }

  /** Argmax of one logits row; a blank's log-prob is booked here, a token's in emit(). */
  private decide(logits: Float32Array, row: number, firstOnFrame: boolean): number {
    const vocab = this.net.vocabSize;
    const offset = row * vocab;
    const token = argmaxRow(logits, offset, vocab);
    const lse = logSumExpRow(logits, offset, vocab);
    if (firstOnFrame) {
      this.blankProbs.push(Math.exp(logits[offset + this.net.blankId] - lse));
      this.bestTokens.push(token);
    }
    if (isBlankLike(this.net, token)) {
      const lp = logits[offset + token] - lse;
      this.blankLogProbSum += lp;
      this.pendingBlankLogProb += lp;
    }
    return token;
  }

  private emit(token: number, frame: number, logits: Float32Array, row: number): void {
    const vocab = this.net.vocabSize;
    const logProb = logits[row * vocab + token] - logSumExpRow(logits, row * vocab, vocab);
    this.tokens.push({ id: token, frame, logProb, biasBonus: 0, blankLogProbBefore: this.pendingBlankLogProb });
    this.tokenLogProbSum += logProb;
    this.pendingBlankLogProb = 0;
    this.context = nextContext(this.context, token);
    this.decoderRow = this.predictions.row(this.context);
    this.repeatedRows = 0;
  }
}
