/**
 * Encoder state layouts of the streaming transducers sherpa-onnx runs, for one stream
 * (batch 1), as sherpa-onnx's GetEncoderInitStates builds them. The layout follows from
 * `model_type` and the encoder's metadata; the graph's declared input shapes are checked
 * against it so a mismatched export fails at load time.
 */
import { metadataInt, metadataIntList, type OnnxDim, type OnnxModelInfo, type OnnxValueInfo } from './onnx-metadata';

export type EncoderModelType = 'zipformer2' | 'zipformer' | 'lstm' | 'conformer';
export const SUPPORTED_MODEL_TYPES: readonly EncoderModelType[] = ['zipformer2', 'zipformer', 'lstm', 'conformer'];

/** Metadata each type's sherpa-onnx loader reads from the encoder (besides model_type). */
export const REQUIRED_ENCODER_METADATA: Readonly<Record<EncoderModelType, readonly string[]>> = {
  zipformer2: ['T', 'decode_chunk_len', 'encoder_dims', 'query_head_dims', 'value_head_dims', 'num_heads', 'num_encoder_layers', 'cnn_module_kernels', 'left_context_len'],
  zipformer: ['T', 'decode_chunk_len', 'encoder_dims', 'attention_dims', 'num_encoder_layers', 'cnn_module_kernels', 'left_context_len'],
  lstm: ['T', 'decode_chunk_len', 'num_encoder_layers', 'd_model', 'rnn_hidden_size'],
  conformer: ['T', 'decode_chunk_len', 'num_encoder_layers', 'left_context', 'encoder_dim', 'pad_length', 'cnn_module_kernel'],
};

export interface StateTensorSpec {
  /** Encoder input that receives the state. */
  input: string;
  /** Encoder output that carries the updated state (the output after encoder_out at the same position). */
  output: string;
  type: 'float32' | 'int64';
  dims: number[];
  /**
   * The axis that holds the stream, where the graph declares it with the same symbolic name as
   * the batch axis of x: states of several streams are stacked along it for a batched call.
   * Absent when the graph does not say (that model decodes one stream per call).
   */
  batchAxis?: number;
}

export interface EncoderLayout {
  states: StateTensorSpec[];
  /**
   * The conformer's last input: frames processed before the chunk. sherpa-onnx feeds it the
   * count of fbank frames (0, decode_chunk_len, 2·decode_chunk_len, …), so Earshot does too.
   */
  processedFramesInput?: string;
}

export class ModelLayoutError extends Error {}

/** Whether the encoder takes several streams per call: every state declares its batch axis. */
export function batchesStreams(states: readonly StateTensorSpec[]): boolean {
  return states.every((s) => s.batchAxis !== undefined);
}

type Shape = { type: 'float32' | 'int64'; dims: number[] };

const SHAPES: Record<EncoderModelType, (encoder: OnnxModelInfo, file: string) => Shape[]> = {
  zipformer2: zipformer2Shapes,
  zipformer: zipformerShapes,
  lstm: lstmShapes,
  conformer: conformerShapes,
};

/** States in input order, shapes for batch 1. */
export function encoderStateLayout(modelType: EncoderModelType, encoder: OnnxModelInfo, file: string): EncoderLayout {
  const shapes = SHAPES[modelType](encoder, file);
  const extra = modelType === 'conformer' ? 1 : 0;
  const stateInputs = encoder.inputs.slice(1, encoder.inputs.length - extra);
  if (stateInputs.length !== shapes.length) {
    throw new ModelLayoutError(
      `${file}: a ${modelType} encoder with this metadata takes ${shapes.length} state inputs after x${extra ? ' (and processed lengths last)' : ''}, the graph has ${stateInputs.length}`,
    );
  }
  // encoder_out first, then the new states in input order; extra outputs (eoq_logit) may follow.
  const stateOutputs = encoder.outputs.slice(1, 1 + shapes.length);
  if (stateOutputs.length !== shapes.length) {
    throw new ModelLayoutError(`${file}: expected encoder_out followed by ${shapes.length} new states, the graph has ${encoder.outputs.length} outputs`);
  }
  const batchName = encoder.inputs[0]?.shape[0];
  const states = shapes.map((s, i): StateTensorSpec => {
    checkShape(stateInputs[i], s.dims, file);
    const axis = typeof batchName === 'string' ? stateInputs[i].shape.indexOf(batchName) : -1;
    return { input: stateInputs[i].name, output: stateOutputs[i].name, type: s.type, dims: s.dims, ...(axis >= 0 ? { batchAxis: axis } : {}) };
  });
  return extra ? { states, processedFramesInput: encoder.inputs.at(-1)?.name } : { states };
}

function lstmShapes(encoder: OnnxModelInfo, file: string): Shape[] {
  const layers = metadataInt(encoder, 'num_encoder_layers', file);
  const dModel = metadataInt(encoder, 'd_model', file);
  const hidden = metadataInt(encoder, 'rnn_hidden_size', file);
  return [f32([layers, 1, dModel]), f32([layers, 1, hidden])];
}

/** Attention and convolution caches of all layers: (layers, left, 1, dim) and (layers, kernel − 1, 1, dim). */
function conformerShapes(encoder: OnnxModelInfo, file: string): Shape[] {
  const layers = metadataInt(encoder, 'num_encoder_layers', file);
  const left = metadataInt(encoder, 'left_context', file);
  const dim = metadataInt(encoder, 'encoder_dim', file);
  const kernel = metadataInt(encoder, 'cnn_module_kernel', file);
  return [f32([layers, left, 1, dim]), f32([layers, kernel - 1, 1, dim])];
}

/** icefall's pruned_transducer_stateless7_streaming: seven caches per stack, grouped by kind. */
function zipformerShapes(encoder: OnnxModelInfo, file: string): Shape[] {
  const dims = metadataIntList(encoder, 'encoder_dims', file);
  const attention = metadataIntList(encoder, 'attention_dims', file);
  const layers = metadataIntList(encoder, 'num_encoder_layers', file);
  const kernels = metadataIntList(encoder, 'cnn_module_kernels', file);
  const left = metadataIntList(encoder, 'left_context_len', file);
  const stacks = dims.map((_, i) => i);
  return [
    ...stacks.map((i): Shape => ({ type: 'int64', dims: [layers[i], 1] })),
    ...stacks.map((i) => f32([layers[i], 1, dims[i]])),
    ...stacks.map((i) => f32([layers[i], left[i], 1, attention[i]])),
    ...stacks.map((i) => f32([layers[i], left[i], 1, attention[i] / 2])),
    ...stacks.map((i) => f32([layers[i], left[i], 1, attention[i] / 2])),
    ...stacks.map((i) => f32([layers[i], 1, dims[i], kernels[i] - 1])),
    ...stacks.map((i) => f32([layers[i], 1, dims[i], kernels[i] - 1])),
  ];
}

/** Six caches per layer (key, non-linear attention, value ×2, conv ×2), then embed states and processed lengths. */
function zipformer2Shapes(encoder: OnnxModelInfo, file: string): Shape[] {
  const dims = metadataIntList(encoder, 'encoder_dims', file);
  const queryHead = metadataIntList(encoder, 'query_head_dims', file);
  const valueHead = metadataIntList(encoder, 'value_head_dims', file);
  const heads = metadataIntList(encoder, 'num_heads', file);
  const layers = metadataIntList(encoder, 'num_encoder_layers', file);
  const kernels = metadataIntList(encoder, 'cnn_module_kernels', file);
  const leftContext = metadataIntList(encoder, 'left_context_len', file);
  const featureDim = Number(encoder.inputs[0]?.shape[2] ?? 80);
  const shapes: Shape[] = [];
  dims.forEach((dim, i) => {
    const key = queryHead[i] * heads[i];
    const value = valueHead[i] * heads[i];
    const left = leftContext[i];
    const conv = Math.floor(kernels[i] / 2);
    for (let j = 0; j < layers[i]; j++) {
      shapes.push(f32([left, 1, key]), f32([1, 1, left, (3 * dim) / 4]), f32([left, 1, value]), f32([left, 1, value]), f32([1, dim, conv]), f32([1, dim, conv]));
    }
  });
  const embedDim = Math.floor((Math.floor((featureDim - 1) / 2) - 1) / 2);
  shapes.push(f32([1, 128, 3, embedDim]), { type: 'int64', dims: [1] });
  return shapes;
}

function f32(dims: number[]): Shape {
  return { type: 'float32', dims };
}

/** A declared dimension must agree where it is fixed; symbolic (batch) dims are free. */
function checkShape(v: OnnxValueInfo, dims: number[], file: string): void {
  const fixed = (d: OnnxDim): d is number => typeof d === 'number' && d > 0;
  if (v.shape.length !== 0 && v.shape.length !== dims.length) {
    throw new ModelLayoutError(`${file}: state input "${v.name}" has rank ${v.shape.length}, the layout needs [${dims.join(', ')}]`);
  }
  v.shape.forEach((d, i) => {
    if (fixed(d) && d !== dims[i] && dims[i] !== 1) {
      throw new ModelLayoutError(`${file}: state input "${v.name}" is [${v.shape.join(', ')}], the metadata implies [${dims.join(', ')}]`);
    }
  });
}

/**
 * One stream's encoder state, packed: the float32 states one after another in layout order,
 * and the int64 ones likewise (empty where there are none). Earshot's single-stream encoder
 * graph takes and returns the state in this form (single-stream-graph.ts); a batched call
 * stacks each state's slice.
 */
export interface PackedState {
  float32: Float32Array;
  int64: BigInt64Array;
}

/** Where each state lies in a PackedState. */
export class StatePacking {
  /** Offset of each state (layout order) within the array of its element type. */
  private readonly offsets: number[] = [];
  private readonly sizes: number[];
  readonly float32Length: number;
  readonly int64Length: number;

  constructor(readonly states: readonly StateTensorSpec[]) {
    this.sizes = states.map((s) => s.dims.reduce((a, b) => a * b, 1));
    const next = { float32: 0, int64: 0 };
    states.forEach((s, i) => {
      this.offsets.push(next[s.type]);
      next[s.type] += this.sizes[i];
    });
    this.float32Length = next.float32;
    this.int64Length = next.int64;
  }

  /** The state every stream starts from: zeros. */
  initial(): PackedState {
    return { float32: new Float32Array(this.float32Length), int64: new BigInt64Array(this.int64Length) };
  }

  /** State `i` of a packed state: a view, not a copy. */
  view(state: PackedState, i: number): Float32Array | BigInt64Array {
    const whole = state[this.states[i].type];
    return whole.subarray(this.offsets[i], this.offsets[i] + this.sizes[i]);
  }
}
