import { describe, expect, it } from 'vitest';
import { encoderStateLayout, ModelLayoutError } from '../../../src/engine/asr/encoder-state';
import { parseOnnxModelInfo } from '../../../src/engine/asr/onnx-metadata';
import { buildOnnx, type FakeValueInfo } from './onnx-builder';

const ZIPFORMER2_META = {
  model_type: 'zipformer2',
  encoder_dims: '192,256',
  query_head_dims: '32,32',
  value_head_dims: '12,12',
  num_heads: '4,4',
  num_encoder_layers: '1,1',
  cnn_module_kernels: '31,15',
  left_context_len: '64,32',
};

/** Per layer: key, non-linear attention, value ×2, conv ×2; then embed states and processed lengths. */
const EXPECTED: [string, number[]][] = [
  ['cached_key_0', [64, 1, 128]],
  ['cached_nonlin_attn_0', [1, 1, 64, 144]],
  ['cached_val1_0', [64, 1, 48]],
  ['cached_val2_0', [64, 1, 48]],
  ['cached_conv1_0', [1, 192, 15]],
  ['cached_conv2_0', [1, 192, 15]],
  ['cached_key_1', [32, 1, 128]],
  ['cached_nonlin_attn_1', [1, 1, 32, 192]],
  ['cached_val1_1', [32, 1, 48]],
  ['cached_val2_1', [32, 1, 48]],
  ['cached_conv1_1', [1, 256, 7]],
  ['cached_conv2_1', [1, 256, 7]],
  ['embed_states', [1, 128, 3, 19]],
  ['processed_lens', [1]],
];

function zipformer2(shapes: [string, number[]][] = EXPECTED) {
  const states: FakeValueInfo[] = shapes.map(([name, dims]) => ({ name, shape: dims, elemType: name === 'processed_lens' ? 7 : 1 }));
  return parseOnnxModelInfo(
    buildOnnx({
      metadata: ZIPFORMER2_META,
      inputs: [{ name: 'x', shape: ['N', 45, 80] }, ...states],
      outputs: [{ name: 'encoder_out', shape: ['N', 8, 512] }, ...states.map((s) => ({ ...s, name: `new_${s.name}` }))],
    }),
  );
}

describe('encoder state layouts', () => {
  it('derives the zipformer2 caches from the metadata, in input order', () => {
    const layout = encoderStateLayout('zipformer2', zipformer2(), 'encoder.onnx');
    expect(layout.map((s) => [s.input, s.dims])).toEqual(EXPECTED);
    expect(layout.at(-1)!.type).toBe('int64');
    expect(layout[0].output).toBe('new_cached_key_0');
  });

  it('rejects a zipformer2 graph whose caches disagree with its metadata', () => {
    const wrong = EXPECTED.map(([n, d]): [string, number[]] => (n === 'cached_key_1' ? [n, [48, 1, 128]] : [n, d]));
    expect(() => encoderStateLayout('zipformer2', zipformer2(wrong), 'encoder.onnx')).toThrow(ModelLayoutError);
    expect(() => encoderStateLayout('zipformer2', zipformer2(EXPECTED.slice(0, 13)), 'encoder.onnx')).toThrow(/takes 14 state inputs after x, the graph has 13/);
  });
});
