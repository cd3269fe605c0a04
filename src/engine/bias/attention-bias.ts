/**
 * The model's own attention biasing, fed the same list as shallow fusion: the entries are
 * embedded once per utterance by the context encoder, then every encoder chunk goes through
 * the bias graph, which returns the biased frames and each frame's attention over
 * ["no bias", entry 1, …]. An empty list skips the graph: the plain encoder output already
 * equals its result.
 */
import type { AttentionTrace } from '../../shared/domain/decode';
import type { ContextEmbedding, TransducerModel } from '../asr/transducer-model';
import type { TokenTable } from '../asr/tokens';
import { spellingOf } from './context-list';

export const NO_BIAS_ENTRY = '<no-bias>';

export class AttentionBias {
  private readonly weights: number[] = [];
  private numFrames = 0;

  private constructor(
    private readonly model: TransducerModel,
    private readonly embedding: ContextEmbedding,
    private readonly phrases: string[],
  ) {}

  /** Null when there is nothing to attend to or the model has no biasing graphs. */
  static create(model: TransducerModel, phrases: readonly string[], tokens: TokenTable): AttentionBias | null {
    if (!model.hasAttentionBias) return null;
    const encoded = phrases.map((p) => ({ phrase: p, ids: tokens.encode(spellingOf(p)) })).filter((e): e is { phrase: string; ids: number[] } => e.ids !== null && e.ids.length > 0);
    if (encoded.length === 0) return null;
    const embedding = model.encodeContext(encoded.map((e) => e.ids));
    return new AttentionBias(model, embedding, encoded.map((e) => e.phrase));
  }

  /** Biases one chunk (numFrames × joinerDim); records the attention rows of the first `decodedFrames`. */
  apply(encoderOut: Float32Array, numFrames: number, decodedFrames = numFrames): Float32Array {
    const r = this.model.runBias(encoderOut, numFrames, this.embedding);
    const columns = this.phrases.length + 1;
    for (let i = 0; i < decodedFrames * columns; i++) this.weights.push(r.attention[i]);
    this.numFrames += decodedFrames;
    return r.encoderOut;
  }

  trace(): AttentionTrace {
    return { entries: [NO_BIAS_ENTRY, ...this.phrases], numFrames: this.numFrames, weights: [...this.weights] };
  }
}
