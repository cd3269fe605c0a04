/**
 * What the searches need from a transducer: the prediction network over a token context and
 * the joiner over (encoder frame, prediction) pairs, both batched over rows and synchronous
 * (calls are many and tiny). The ONNX model implements it; tests use hand-made tables.
 */
export interface JointNetwork {
  readonly vocabSize: number;
  /** Tokens of history the prediction network sees (2 for a stateless decoder). */
  readonly contextSize: number;
  /** Width of an encoder or prediction row. */
  readonly joinerDim: number;
  readonly blankId: number;
  /** `<unk>`, where the vocabulary has one: searched as a blank (never emitted), as sherpa-onnx does. */
  readonly unkId?: number;
  /** One prediction row per context (each `contextSize` ids, -1 = nothing yet): rows × joinerDim. */
  runDecoder(contexts: readonly (readonly number[])[]): Float32Array;
  /**
   * Logits for `rows` (encoder row, prediction row) pairs, both rows × joinerDim: rows × vocabSize.
   * Valid until the next call (the WebAssembly joiner returns its own buffer); the caller may modify it.
   */
  runJoiner(encoderRows: Float32Array, decoderRows: Float32Array, rows: number): Float32Array;
}

/** The context a hypothesis starts from: [-1, …, -1, blank], as sherpa-onnx builds it. */
export function initialContext(net: Pick<JointNetwork, 'contextSize' | 'blankId'>): number[] {
  const ctx = new Array<number>(net.contextSize).fill(-1);
  ctx[ctx.length - 1] = net.blankId;
  return ctx;
}

/** The context after emitting `token`: drop the oldest, append the token. */
export function nextContext(context: readonly number[], token: number): number[] {
  return [...context.slice(1), token];
}

/** Blank, or a token the searches treat as blank. */
export function isBlankLike(net: Pick<JointNetwork, 'blankId' | 'unkId'>, token: number): boolean {
  return token === net.blankId || token === net.unkId;
}

/** `rows` copies of one row, for a batched joiner call: into `out` from row `from` on when given (it is long enough). */
export function repeatRow(row: Float32Array, rows: number, out: Float32Array = new Float32Array(row.length * rows), from = 0): Float32Array {
  for (let r = from; r < rows; r++) out.set(row, r * row.length);
  return out;
}
