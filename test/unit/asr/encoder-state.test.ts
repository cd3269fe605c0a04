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
    const { states, processedFramesInput } = encoderStateLayout('zipformer2', zipformer2(), 'encoder.onnx');
    expect(states.map((s) => [s.input, s.dims])).toEqual(EXPECTED);
    expect(states.at(-1)!.type).toBe('int64');
    expect(states[0].output).toBe('new_cached_key_0');
    expect(processedFramesInput).toBeUndefined();
  });

  it('rejects a zipformer2 graph whose caches disagree with its metadata', () => {
    const wrong = EXPECTED.map(([n, d]): [string, number[]] => (n === 'cached_key_1' ? [n, [48, 1, 128]] : [n, d]));
    expect(() => encoderStateLayout('zipformer2', zipformer2(wrong), 'encoder.onnx')).toThrow(ModelLayoutError);
    expect(() => encoderStateLayout('zipformer2', zipformer2(EXPECTED.slice(0, 13)), 'encoder.onnx')).toThrow(/takes 14 state inputs after x, the graph has 13/);
  });

  it('groups the zipformer (v1) caches by kind across stacks, lengths as int64', () => {
    const stacks: [string, number[]][] = [];
    const kinds: [string, (i: number) => number[]][] = [
      ['cached_len', (i) => [[2, 1][i], 1]],
      ['cached_avg', (i) => [[2, 1][i], 1, [64, 96][i]]],
      ['cached_key', (i) => [[2, 1][i], [64, 32][i], 1, [32, 48][i]]],
      ['cached_val', (i) => [[2, 1][i], [64, 32][i], 1, [16, 24][i]]],
      ['cached_val2', (i) => [[2, 1][i], [64, 32][i], 1, [16, 24][i]]],
      ['cached_conv1', (i) => [[2, 1][i], 1, [64, 96][i], [30, 14][i]]],
      ['cached_conv2', (i) => [[2, 1][i], 1, [64, 96][i], [30, 14][i]]],
    ];
    for (const [kind, dims] of kinds) for (const i of [0, 1]) stacks.push([`${kind}_${i}`, dims(i)]);
    const states: FakeValueInfo[] = stacks.map(([name, dims]) => ({ name, shape: dims, elemType: name.startsWith('cached_len') ? 7 : 1 }));
    const info = parseOnnxModelInfo(
      buildOnnx({
        metadata: { model_type: 'zipformer', encoder_dims: '64,96', attention_dims: '32,48', num_encoder_layers: '2,1', cnn_module_kernels: '31,15', left_context_len: '64,32' },
        inputs: [{ name: 'x', shape: ['N', 39, 80] }, ...states],
        outputs: [{ name: 'encoder_out', shape: ['N', 8, 96] }, ...states.map((s) => ({ ...s, name: `new_${s.name}` }))],
      }),
    );
    const layout = encoderStateLayout('zipformer', info, 'encoder.onnx');
    expect(layout.states.map((s) => [s.input, s.dims])).toEqual(stacks);
    expect(layout.states.map((s) => s.type).filter((t) => t === 'int64')).toHaveLength(2);
  });

  it('gives the conformer two caches and feeds processed frames through its last input', () => {
    const info = parseOnnxModelInfo(
      buildOnnx({
        metadata: { model_type: 'conformer', num_encoder_layers: '2', left_context: '64', encoder_dim: '80', cnn_module_kernel: '31' },
        inputs: [
          { name: 'x', shape: ['N', 75, 80] },
          { name: 'cached_attn', shape: [2, 64, 'N', 80] },
          { name: 'cached_conv', shape: [2, 30, 'N', 80] },
          { name: 'processed_lens', shape: ['N'], elemType: 7 },
        ],
        outputs: [
          { name: 'encoder_out', shape: ['N', 16, 96] },
          { name: 'new_cached_attn', shape: [2, 64, 'N', 80] },
          { name: 'new_cached_conv', shape: [2, 30, 'N', 80] },
        ],
      }),
    );
    const layout = encoderStateLayout('conformer', info, 'encoder.onnx');
    expect(layout.states.map((s) => [s.input, s.output, s.dims])).toEqual([
      ['cached_attn', 'new_cached_attn', [2, 64, 1, 80]],
      ['cached_conv', 'new_cached_conv', [2, 30, 1, 80]],
    ]);
    expect(layout.processedFramesInput).toBe('processed_lens');
  });
});
