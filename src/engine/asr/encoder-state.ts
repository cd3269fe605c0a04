/**
 * Encoder state layouts of the streaming transducers sherpa-onnx runs, for one stream
 * (batch 1). The layout follows from `model_type` and the encoder's metadata; the graph's
 * declared input shapes are checked against it so a mismatched export fails at load time.
 */
import { metadataInt, metadataIntList, type OnnxDim, type OnnxModelInfo, type OnnxValueInfo } from './onnx-metadata';

export type EncoderModelType = 'lstm' | 'zipformer2';
export const SUPPORTED_MODEL_TYPES: readonly EncoderModelType[] = ['lstm', 'zipformer2'];

export interface StateTensorSpec {
  /** Encoder input that receives the state. */
  input: string;
  /** Encoder output that carries the updated state (the output after encoder_out at the same position). */
  output: string;
  type: 'float32' | 'int64';
  dims: number[];
}

export class ModelLayoutError extends Error {}

/** States in input order, shapes for batch 1. */
export function encoderStateLayout(modelType: EncoderModelType, encoder: OnnxModelInfo, file: string): StateTensorSpec[] {
  const shapes = modelType === 'lstm' ? lstmShapes(encoder, file) : zipformer2Shapes(encoder, file);
  const stateInputs = encoder.inputs.slice(1);
  if (stateInputs.length !== shapes.length) {
    throw new ModelLayoutError(`${file}: a ${modelType} encoder with this metadata takes ${shapes.length} state inputs after x, the graph has ${stateInputs.length}`);
  }
  // encoder_out first, then the new states in input order; extra outputs (eoq_logit) may follow.
  const stateOutputs = encoder.outputs.slice(1, 1 + shapes.length);
  if (stateOutputs.length !== shapes.length) {
    throw new ModelLayoutError(`${file}: expected encoder_out followed by ${shapes.length} new states, the graph has ${encoder.outputs.length} outputs`);
  }
  return shapes.map((s, i) => {
    checkShape(stateInputs[i], s.dims, file);
    return { input: stateInputs[i].name, output: stateOutputs[i].name, type: s.type, dims: s.dims };
  });
}

type Shape = { type: 'float32' | 'int64'; dims: number[] };

function lstmShapes(encoder: OnnxModelInfo, file: string): Shape[] {
  const layers = metadataInt(encoder, 'num_encoder_layers', file);
  const dModel = metadataInt(encoder, 'd_model', file);
  const hidden = metadataInt(encoder, 'rnn_hidden_size', file);
  return [
    { type: 'float32', dims: [layers, 1, dModel] },
    { type: 'float32', dims: [layers, 1, hidden] },
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
      shapes.push(
        { type: 'float32', dims: [left, 1, key] },
        { type: 'float32', dims: [1, 1, left, (3 * dim) / 4] },
        { type: 'float32', dims: [left, 1, value] },
        { type: 'float32', dims: [left, 1, value] },
        { type: 'float32', dims: [1, dim, conv] },
        { type: 'float32', dims: [1, dim, conv] },
      );
    }
  });
  const embedDim = Math.floor((Math.floor((featureDim - 1) / 2) - 1) / 2);
  shapes.push({ type: 'float32', dims: [1, 128, 3, embedDim] }, { type: 'int64', dims: [1] });
  return shapes;
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
