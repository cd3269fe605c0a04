import { describe, expect, it } from 'vitest';
import { metadataInt, metadataIntList, OnnxFormatError, parseOnnxModelInfo } from '../../../src/engine/asr/onnx-metadata';
import { buildOnnx } from './onnx-builder';

describe('ONNX metadata reader', () => {
  const bytes = buildOnnx({
    metadata: { model_type: 'lstm', T: '32', decode_chunk_len: '32', encoder_dims: '192,256,384' },
    inputs: [
      { name: 'x', shape: ['N', 32, 80] },
      { name: 'state0', shape: [2, 'N', 256] },
    ],
    outputs: [{ name: 'encoder_out', shape: ['N', 8, 256] }, { name: 'eoq_logit', shape: ['N', -1] }],
    initializers: ['weight'],
  });

  it('reads metadata_props as strings', () => {
    const info = parseOnnxModelInfo(bytes);
    expect(info.metadata).toEqual({ model_type: 'lstm', T: '32', decode_chunk_len: '32', encoder_dims: '192,256,384' });
    expect(metadataInt(info, 'T', 'encoder.onnx')).toBe(32);
    expect(metadataIntList(info, 'encoder_dims', 'encoder.onnx')).toEqual([192, 256, 384]);
    expect(info.opsetVersion).toBe(13);
  });

  it('reads input and output names and shapes, leaving initializers out', () => {
    const info = parseOnnxModelInfo(bytes);
    expect(info.inputs.map((v) => v.name)).toEqual(['x', 'state0']);
    expect(info.inputs[0].shape).toEqual(['N', 32, 80]);
    expect(info.outputs[1].shape).toEqual(['N', -1]);
    expect(info.outputs[0].elemType).toBe(1);
  });

  it('names the missing metadata key', () => {
    const info = parseOnnxModelInfo(bytes);
    expect(() => metadataInt(info, 'vocab_size', 'decoder.onnx')).toThrow(/decoder.onnx: metadata key "vocab_size" is missing/);
    expect(() => metadataInt(info, 'model_type', 'encoder.onnx')).toThrow(OnnxFormatError);
  });

  it('rejects bytes that are not a model', () => {
    expect(() => parseOnnxModelInfo(new TextEncoder().encode('not an onnx file at all'))).toThrow();
  });
});
