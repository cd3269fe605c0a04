/**
 * Models Earshot does not run are refused at load with a message that names what was found
 * and what is supported. The directories are laid out as sherpa-onnx's published models are,
 * with metadata-only ONNX files (graph inputs, outputs and metadata, no nodes).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelDirError, resolveModelDir } from '../../../src/engine/asr/model-dir';
import { buildOnnx, type FakeModel } from './onnx-builder';

const INT64 = 7;
const SUPPORTED = /Earshot runs streaming transducers exported for sherpa-onnx .* with model_type zipformer2, zipformer, lstm, conformer\./;

const decoder: FakeModel = {
  metadata: { context_size: '2', vocab_size: '30' },
  inputs: [{ name: 'y', elemType: INT64, shape: ['N', 2] }],
  outputs: [{ name: 'decoder_out', shape: ['N', 96] }],
};
const joiner: FakeModel = {
  metadata: { joiner_dim: '96' },
  inputs: [
    { name: 'encoder_out', shape: ['N', 96] },
    { name: 'decoder_out', shape: ['N', 96] },
  ],
  outputs: [{ name: 'logit', shape: ['N', 30] }],
};

/** A streaming zipformer2 encoder as icefall's export-onnx-streaming.py writes it (one layer). */
function streamingZipformer2(drop: string[] = []): FakeModel {
  const metadata: Record<string, string> = {
    model_type: 'zipformer2',
    T: '45',
    decode_chunk_len: '32',
    encoder_dims: '64',
    query_head_dims: '16',
    value_head_dims: '8',
    num_heads: '2',
    num_encoder_layers: '1',
    cnn_module_kernels: '15',
    left_context_len: '64',
  };
  for (const k of drop) delete metadata[k];
  const states: FakeModel['inputs'] = [
    { name: 'cached_key_0', shape: [64, 'N', 32] },
    { name: 'cached_nonlin_attn_0', shape: [1, 'N', 64, 48] },
    { name: 'cached_val1_0', shape: [64, 'N', 16] },
    { name: 'cached_val2_0', shape: [64, 'N', 16] },
    { name: 'cached_conv1_0', shape: ['N', 64, 7] },
    { name: 'cached_conv2_0', shape: ['N', 64, 7] },
    { name: 'embed_states', shape: ['N', 128, 3, 19] },
    { name: 'processed_lens', elemType: INT64, shape: ['N'] },
  ];
  return {
    metadata,
    inputs: [{ name: 'x', shape: ['N', 45, 80] }, ...states],
    outputs: [{ name: 'encoder_out', shape: ['N', 8, 96] }, ...states.map((s) => ({ ...s, name: `new_${s.name}` }))],
  };
}

describe('refusing models Earshot does not run', () => {
  let dir: string;
  const put = (name: string, m: FakeModel): void => writeFileSync(join(dir, name), buildOnnx(m));
  const refusal = (): string => {
    try {
      resolveModelDir(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(ModelDirError);
      return (err as Error).message;
    }
    throw new Error('the directory loaded');
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-refusal-'));
    writeFileSync(join(dir, 'tokens.txt'), ['<blk>', '<unk>', '▁', "'", ...'abcdefghijklmnopqrstuvwxyz'].map((s, i) => `${s} ${i}\n`).join(''));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the streaming zipformer2 the other cases start from', () => {
    put('encoder-epoch-99-avg-1-chunk-16-left-64.onnx', streamingZipformer2());
    put('decoder-epoch-99-avg-1-chunk-16-left-64.onnx', decoder);
    put('joiner-epoch-99-avg-1-chunk-16-left-64.onnx', joiner);
    expect(resolveModelDir(dir)).toMatchObject({ modelType: 'zipformer2', T: 45, decodeChunkLen: 32 });
  });

  it('refuses a non-streaming transducer (icefall export-onnx.py: x and x_lens, no chunk size)', () => {
    put('encoder-epoch-99-avg-1.onnx', {
      metadata: { model_type: 'zipformer2', version: '1', model_author: 'k2-fsa', comment: 'non-streaming zipformer2' },
      inputs: [
        { name: 'x', shape: ['N', 'T', 80] },
        { name: 'x_lens', elemType: INT64, shape: ['N'] },
      ],
      outputs: [
        { name: 'encoder_out', shape: ['N', 'T', 96] },
        { name: 'encoder_out_lens', elemType: INT64, shape: ['N'] },
      ],
    });
    put('decoder-epoch-99-avg-1.onnx', decoder);
    put('joiner-epoch-99-avg-1.onnx', joiner);
    const message = refusal();
    expect(message).toMatch(/encoder-epoch-99-avg-1\.onnx: this is a non-streaming zipformer2 transducer \(encoder inputs x, x_lens; .*comment "non-streaming zipformer2"\)/);
    expect(message).toMatch(SUPPORTED);
  });

  it('refuses a streaming CTC model (one model.onnx, model_type zipformer2_ctc)', () => {
    put('ctc-epoch-30-avg-3-chunk-16-left-128.onnx', {
      metadata: { model_type: 'zipformer2_ctc', T: '45', decode_chunk_len: '32' },
      inputs: [{ name: 'x', shape: ['N', 45, 80] }],
      outputs: [{ name: 'log_probs', shape: ['N', 8, 500] }],
    });
    const message = refusal();
    expect(message).toMatch(/ctc-epoch-30-avg-3-chunk-16-left-128\.onnx is a CTC model \(model_type "zipformer2_ctc"\), not a streaming transducer/);
    expect(message).toMatch(SUPPORTED);
  });

  it('refuses a CTC model whose file is named like an encoder', () => {
    put('encoder.onnx', { metadata: { model_type: 'EncDecCTCModelBPE' }, inputs: [{ name: 'audio_signal', shape: ['N', 80, 'T'] }], outputs: [{ name: 'logprobs', shape: ['N', 'T', 129] }] });
    put('decoder.onnx', decoder);
    put('joiner.onnx', joiner);
    expect(refusal()).toMatch(/encoder\.onnx: this is a CTC model \(model_type "EncDecCTCModelBPE"\), not a streaming transducer\. Earshot runs/);
  });

  it('refuses a streaming paraformer (encoder.onnx and decoder.onnx, no joiner)', () => {
    const meta = { lfr_window_size: '7', lfr_window_shift: '6', encoder_output_size: '512', decoder_num_blocks: '16', vocab_size: '8404' };
    put('encoder.int8.onnx', { metadata: meta, inputs: [{ name: 'speech', shape: ['N', 'T', 560] }], outputs: [{ name: 'enc', shape: ['N', 'T', 512] }] });
    put('decoder.int8.onnx', { metadata: {}, inputs: [{ name: 'enc', shape: ['N', 'T', 512] }], outputs: [{ name: 'logits', shape: ['N', 'T', 8404] }] });
    const message = refusal();
    expect(message).toMatch(/decoder\.int8\.onnx is a Paraformer model|encoder\.int8\.onnx is a Paraformer model/);
    expect(message).toMatch(SUPPORTED);
  });

  it('refuses whisper (tiny.en-encoder.onnx, tiny.en-decoder.onnx)', () => {
    const meta = { model_type: 'whisper-tiny.en', n_mels: '80', n_text_layer: '4', n_vocab: '51864' };
    put('tiny.en-decoder.onnx', { metadata: {}, inputs: [{ name: 'tokens', elemType: INT64, shape: ['N', 'L'] }], outputs: [{ name: 'logits', shape: ['N', 'L', 51864] }] });
    put('tiny.en-encoder.onnx', { metadata: meta, inputs: [{ name: 'mel', shape: ['N', 80, 3000] }], outputs: [{ name: 'n_layer_cross_k', shape: [4, 'N', 1500, 384] }] });
    expect(refusal()).toMatch(/tiny\.en-encoder\.onnx is a Whisper model, not a streaming transducer\. Earshot runs/);
  });

  it('names the metadata keys a streaming encoder lacks', () => {
    put('encoder.onnx', streamingZipformer2(['left_context_len', 'num_heads']));
    put('decoder.onnx', decoder);
    put('joiner.onnx', joiner);
    const message = refusal();
    expect(message).toMatch(/encoder\.onnx: the zipformer2 encoder's metadata lacks num_heads, left_context_len/);
    expect(message).toMatch(SUPPORTED);
  });

  it('says when the encoder has no model_type, listing the keys it has', () => {
    const m = streamingZipformer2();
    delete m.metadata!.model_type;
    put('encoder.onnx', m);
    put('decoder.onnx', decoder);
    put('joiner.onnx', joiner);
    expect(refusal()).toMatch(/encoder\.onnx: the encoder's metadata has no model_type \(found T, decode_chunk_len, encoder_dims, .*\)\. Earshot runs/);
  });

  it('names the model_type it does not know', () => {
    put('encoder.onnx', { ...streamingZipformer2(), metadata: { model_type: 'conv-emformer', T: '36', decode_chunk_len: '32' } });
    put('decoder.onnx', decoder);
    put('joiner.onnx', joiner);
    expect(refusal()).toMatch(/model_type "conv-emformer" is not supported\. Earshot runs .* with model_type zipformer2, zipformer, lstm, conformer/);
  });

  it('lists what it found when nothing is recognisable', () => {
    put('model.onnx', { metadata: {}, inputs: [{ name: 'input', shape: [1, 16000] }], outputs: [{ name: 'output', shape: [1, 10] }] });
    expect(refusal()).toMatch(/no encoder\*\.onnx and no model\.json \(found model\.onnx\)\. Earshot runs/);
  });
});
