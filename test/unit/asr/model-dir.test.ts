import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelDirError, modelEoqThreshold, resolveModelDir } from '../../../src/engine/asr/model-dir';
import { buildOnnx, type FakeModel } from './onnx-builder';
import { VOCAB } from './table-joint';

const INT64 = 7;
const TOKENS = VOCAB.map((s, i) => `${s} ${i}`).join('\n') + '\n';

function encoder(over: Partial<FakeModel> = {}, meta: Record<string, string> = {}): FakeModel {
  return {
    metadata: { model_type: 'lstm', T: '32', decode_chunk_len: '32', num_encoder_layers: '2', d_model: '64', rnn_hidden_size: '64', ...meta },
    inputs: [
      { name: 'x', shape: ['N', 32, 80] },
      { name: 'state0', shape: [2, 'N', 64] },
      { name: 'state1', shape: [2, 'N', 64] },
    ],
    outputs: [
      { name: 'encoder_out', shape: ['N', 8, 32] },
      { name: 'new_state0', shape: [2, 'N', 64] },
      { name: 'new_state1', shape: [2, 'N', 64] },
      { name: 'eoq_logit', shape: ['N', 8] },
    ],
    ...over,
  };
}
const decoder = (vocab = 29): FakeModel => ({
  metadata: { context_size: '2', vocab_size: String(vocab) },
  inputs: [{ name: 'y', elemType: INT64, shape: ['N', 2] }],
  outputs: [{ name: 'decoder_out', shape: ['N', 32] }],
});
const joiner = (vocab = 29): FakeModel => ({
  metadata: { joiner_dim: '32' },
  inputs: [
    { name: 'encoder_out', shape: ['N', 32] },
    { name: 'decoder_out', shape: ['N', 32] },
  ],
  outputs: [{ name: 'logit', shape: ['N', vocab] }],
});

describe('model directory', () => {
  let dir: string;
  const put = (name: string, m: FakeModel): void => writeFileSync(join(dir, name), buildOnnx(m));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-model-'));
    writeFileSync(join(dir, 'tokens.txt'), TOKENS);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('sherpa-onnx layout (no model.json)', () => {
    beforeEach(() => {
      put('encoder-epoch-9.onnx', encoder());
      put('encoder-epoch-9.int8.onnx', encoder());
      put('decoder-epoch-9.onnx', decoder());
      put('joiner-epoch-9.onnx', joiner());
    });

    it('loads with everything read from the ONNX metadata', () => {
      const spec = resolveModelDir(dir);
      expect(spec.format).toBe('sherpa-onnx');
      expect(spec).toMatchObject({ modelType: 'lstm', T: 32, decodeChunkLen: 32, contextSize: 2, vocabSize: 29, joinerDim: 32, featureDim: 80 });
      expect(spec.states.map((s) => [s.input, s.output, s.dims])).toEqual([
        ['state0', 'new_state0', [2, 1, 64]],
        ['state1', 'new_state1', [2, 1, 64]],
      ]);
      expect(spec.eoqOutput).toBe('eoq_logit');
      expect(spec.frameShiftS).toBeCloseTo(0.04);
      expect(spec.files.encoder).toMatch(/encoder-epoch-9\.onnx$/);
      // Decoded as sherpa-onnx decodes: one symbol per frame, hotword boost 1.5, hotwords matched anywhere.
      expect(spec.decoding).toEqual({ maxSymbolsPerFrame: 1, fusionBoost: 1.5, fusion: 'sherpa', tailPaddingS: 0 });
    });

    it('picks the int8 graphs when asked', () => {
      expect(resolveModelDir(dir, { variant: 'int8' }).files.encoder).toMatch(/int8/);
    });

    it('says which graph is missing', () => {
      unlinkSync(join(dir, 'joiner-epoch-9.onnx'));
      expect(() => resolveModelDir(dir)).toThrow(/no joiner\*\.onnx/);
    });

    it('rejects a vocabulary that does not match the joiner', () => {
      put('joiner-epoch-9.onnx', joiner(30));
      expect(() => resolveModelDir(dir)).toThrow(/logit has 30 classes but the decoder's vocab_size is 29/);
      put('joiner-epoch-9.onnx', joiner());
      writeFileSync(join(dir, 'tokens.txt'), TOKENS + 'zz 29\n');
      expect(() => resolveModelDir(dir)).toThrow(/has 30 tokens but the joiner outputs 29 classes/);
    });

    it('rejects wrong input names and state shapes', () => {
      put('encoder-epoch-9.onnx', encoder({ inputs: [{ name: 'features', shape: ['N', 32, 80] }] }));
      expect(() => resolveModelDir(dir)).toThrow(/inputs should start with \[x\], found \[features\]/);
      put('encoder-epoch-9.onnx', encoder({}, { d_model: '128' }));
      expect(() => resolveModelDir(dir)).toThrow(/state input "state0" is \[2, N, 64\], the metadata implies \[2, 1, 128\]/);
    });

    it('rejects missing metadata and unknown model types', () => {
      const noT = encoder();
      delete noT.metadata!.T;
      put('encoder-epoch-9.onnx', noT);
      expect(() => resolveModelDir(dir)).toThrow(/the lstm encoder's metadata lacks T /);
      put('encoder-epoch-9.onnx', encoder({}, { model_type: 'ebranchformer' }));
      expect(() => resolveModelDir(dir)).toThrow(/model_type "ebranchformer" is not supported/);
    });

    it('rejects a file that is not ONNX', () => {
      writeFileSync(join(dir, 'decoder-epoch-9.onnx'), 'hello, this is not protobuf\n');
      expect(() => resolveModelDir(dir)).toThrow(/not a valid ONNX model|metadata key/);
    });
  });

  describe('Earshot layout', () => {
    beforeEach(() => {
      put('encoder.onnx', encoder());
      put('decoder.onnx', decoder());
      put('joiner.onnx', joiner());
      writeFileSync(
        join(dir, 'model.json'),
        JSON.stringify({
          format: 'earshot-rnnt',
          name: 'tiny',
          default_variant: 'int8',
          chunk: { T: 32, decode_chunk_len: 32, subsampling: 4, frame_shift_ms: 40 },
          variants: { fp32: { encoder: 'encoder.onnx', decoder: 'decoder.onnx', joiner: 'joiner.onnx' }, int8: { encoder: 'encoder.int8.onnx', decoder: 'decoder.onnx', joiner: 'joiner.onnx' } },
        }),
      );
    });

    it('loads the variant that model.json names', () => {
      const spec = resolveModelDir(dir, { variant: 'fp32' });
      expect(spec).toMatchObject({ format: 'earshot', name: 'tiny', variant: 'fp32', frameShiftS: 0.04 });
    });

    it('takes the search settings the model was measured with from model.json, ignoring impossible ones', () => {
      const sidecar = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...sidecar, decode: { max_symbols_per_frame: 3, fusion_boost: 0.5, fusion: 'sherpa', tail_padding_s: 0.6 } }));
      expect(resolveModelDir(dir, { variant: 'fp32' }).decoding).toEqual({ maxSymbolsPerFrame: 3, fusionBoost: 0.5, fusion: 'sherpa', tailPaddingS: 0.6 });
      // An Earshot model that names no fusion style matches whole words.
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...sidecar, decode: { max_symbols_per_frame: 0.5, fusion_boost: -1, fusion: 'fuzzy', tail_padding_s: 5 } }));
      expect(resolveModelDir(dir, { variant: 'fp32' }).decoding).toEqual({ maxSymbolsPerFrame: 1, fusionBoost: 1.5, fusion: 'words', tailPaddingS: 0 });
    });

    it("takes the model's own end-of-query threshold from model.json, which the host reads without the graphs", () => {
      const sidecar = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
      expect(resolveModelDir(dir, { variant: 'fp32' }).eoqThreshold).toBeUndefined();
      expect(modelEoqThreshold(dir)).toBeUndefined();
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...sidecar, eoq: { output: 'eoq_logit', default_threshold: 0.94 } }));
      expect(resolveModelDir(dir, { variant: 'fp32' }).eoqThreshold).toBe(0.94);
      expect(modelEoqThreshold(dir)).toBe(0.94);
      // A model.json that does not read leaves the host the app's threshold; the decode names the problem.
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...sidecar, eoq: { default_threshold: 1.5 } }));
      expect(() => resolveModelDir(dir, { variant: 'fp32' })).toThrow(/eoq\.default_threshold/);
      expect(modelEoqThreshold(dir)).toBeUndefined();
    });

    it('names the missing file of the default variant', () => {
      expect(() => resolveModelDir(dir)).toThrow(ModelDirError);
      expect(() => resolveModelDir(dir)).toThrow(/encoder file .*encoder\.int8\.onnx is missing/);
    });

    it('names a variant that does not exist', () => {
      expect(() => resolveModelDir(dir, { variant: 'fp16' })).toThrow(/no variant "fp16" \(it has fp32, int8\)/);
    });
  });

  it('says when the directory does not exist', () => {
    expect(() => resolveModelDir(join(dir, 'nope'))).toThrow(/does not exist/);
  });
});
