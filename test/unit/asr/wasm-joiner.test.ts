/**
 * The joiner in WebAssembly (asr/wasm/joiner-kernel.ts) in place of onnxruntime's session:
 * which graphs it takes (joiner-graph.ts), and that its logits are the ONNX joiner's, on the
 * fixtures' joiners, the shipped model's int8 and fp32 ones, and graphs made here for the forms
 * the fixtures lack.
 *
 * Tolerances: fp32 logits are float32 sums of `dim` products taken in another order than
 * onnxruntime's (which also fuses its multiply-adds), a few float32 ulps of the larger partial
 * sums: within 2e-5 (about ten times what is seen; a decision moves on differences a thousand
 * times larger). int8 logits are bit for bit the plain reference of onnxruntime's arithmetic
 * (joiner-reference.ts). Against onnxruntime itself they differ where onnxruntime's tanh, evaluated
 * with fused multiply-adds, differs from ours in the last bits (the kernel fuses only near
 * saturation): the activation scale moves by an ulp (logits by ~1e-6), and now and then an
 * activation's quantised value flips by one, which moves a logit by at most one quantum,
 * activation scale × column scale × |B − zero point|.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeSamples } from '../../../src/engine/asr/decode-utterance';
import { readJoinerGraph, type JoinerWeights } from '../../../src/engine/asr/joiner-graph';
import { OrtSession } from '../../../src/engine/asr/ort-session';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { loadWasmJoiner, MAX_KERNEL_MACS, WasmJoiner } from '../../../src/engine/asr/wasm/joiner-kernel';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import { joinerOnnx, type JoinerSpec } from './joiner-onnx';
import { referenceLogits } from './joiner-reference';

const ROOT = join(__dirname, '../../..');
const FIXTURES = join(ROOT, 'test/fixtures');
const FLOAT_TOLERANCE = 2e-5;

const JOINERS: [string, 'fp32' | 'int8', number, number][] = [
  ['resources/models/earshot-rnnt/joiner.int8.onnx', 'int8', 256, 29],
  ['resources/models/earshot-rnnt/joiner.onnx', 'fp32', 256, 29],
  ['test/fixtures/tiny-model/joiner.int8.onnx', 'int8', 0, 0],
  ['test/fixtures/tiny-model/joiner.onnx', 'fp32', 0, 0],
  ['test/fixtures/models/zipformer2/joiner-epoch-1-avg-1-chunk-16-left-64.onnx', 'fp32', 96, 30],
  ['test/fixtures/models/zipformer/joiner-epoch-1-avg-1.onnx', 'fp32', 96, 30],
  ['test/fixtures/models/conformer/joiner-epoch-1-avg-1.onnx', 'fp32', 96, 30],
  ['test/fixtures/models/lstm/joiner-epoch-1-avg-1.onnx', 'fp32', 96, 30],
];

function weightsOf(bytes: Uint8Array): JoinerWeights {
  const graph = readJoinerGraph(bytes);
  if ('reason' in graph) throw new Error(graph.reason);
  return graph.weights;
}

function ortLogits(session: OrtSession, dim: number, encoder: Float32Array, decoder: Float32Array, rows: number): Float32Array {
  const dims = [rows, dim];
  const out = session.run({ encoder_out: new ort.Tensor('float32', encoder, dims), decoder_out: new ort.Tensor('float32', decoder, dims) }, ['logit']);
  return out.logit.data as Float32Array;
}

/** Deterministic values in [−amplitude, amplitude]. */
function rowsOf(count: number, seed: number, amplitude = 3): Float32Array {
  let s = seed;
  return Float32Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return ((s / 2147483648) * 2 - 1) * amplitude;
  });
}

/** Largest logit change one flipped activation can make: activation scale (≤ 2/255) × column scale × |B − zp|. */
function quantum(w: JoinerWeights): number {
  if (w.kind === 'fp32') return 0;
  let q = 0;
  for (let c = 0; c < w.vocab; c++) for (let k = 0; k < w.dim; k++) q = Math.max(q, (2 / 255) * w.columnScale[c] * Math.abs(w.weight[c * w.dim + k]));
  return q;
}

/** Checks the kernel against onnxruntime and the reference on `rows` rows; returns how many rows a flip moved. */
function compare(w: JoinerWeights, kernel: WasmJoiner, session: OrtSession, encoder: Float32Array, decoder: Float32Array, rows: number): number {
  const ours = kernel.run(encoder, decoder, rows).slice();
  const theirs = ortLogits(session, w.dim, encoder, decoder, rows);
  const reference = referenceLogits(w, encoder, decoder, rows);
  expect(ours.length).toBe(rows * w.vocab);
  const flipped = new Set<number>();
  for (let i = 0; i < ours.length; i++) {
    const off = Math.abs(ours[i] - theirs[i]);
    if (w.kind === 'int8') {
      expect(ours[i]).toBe(reference[i]);
      expect(off).toBeLessThanOrEqual(FLOAT_TOLERANCE + 2 * quantum(w));
      if (off > FLOAT_TOLERANCE) flipped.add(Math.floor(i / w.vocab));
    } else {
      expect(Math.abs(ours[i] - reference[i])).toBeLessThanOrEqual(FLOAT_TOLERANCE);
      expect(off).toBeLessThanOrEqual(FLOAT_TOLERANCE);
    }
  }
  return flipped.size;
}

const threads = { intraOpNumThreads: 1, interOpNumThreads: 1 };

describe('the joiner graph the WebAssembly kernel runs', () => {
  it.each(JOINERS)('is recognised in %s (%s)', (file, kind, dim, vocab) => {
    const w = weightsOf(readFileSync(join(ROOT, file)));
    expect(w.kind).toBe(kind);
    if (dim) expect([w.dim, w.vocab]).toEqual([dim, vocab]);
  });

  it('is left to onnxruntime when the graph differs, saying why', () => {
    const gemm = (dim: number, vocab: number): JoinerSpec => ({ dim, vocab, output: { op: 'Gemm', transB: 1, weight: new Float32Array(dim * vocab), bias: new Float32Array(vocab) } });
    expect(readJoinerGraph(joinerOnnx({ ...gemm(16, 5), activation: 'Relu' }))).toEqual({ reason: "joiner graph's second node is not Tanh of the sum: Add → Relu → Gemm" });
    expect(readJoinerGraph(joinerOnnx(gemm(12, 5)))).toEqual({ reason: 'joiner dimension 12 is not a multiple of 8' });
    expect(loadWasmJoiner(joinerOnnx(gemm(512, 200)), { joinerDim: 512, vocabSize: 200 })).toEqual({ reason: 'joiner 512 × 200 is too large for the WebAssembly kernel to beat onnxruntime' });
    expect(loadWasmJoiner(joinerOnnx(gemm(16, 5)), { joinerDim: 16, vocabSize: 6 })).toEqual({ reason: 'joiner graph is 16 → 5, the model 16 → 6' });
  });

  it('says what runs the joiner: the kernel by default, onnxruntime on request', () => {
    const dir = join(FIXTURES, 'tiny-model');
    const wasm = TransducerModel.load(dir, { variant: 'int8' });
    const onnx = TransducerModel.load(dir, { variant: 'int8', wasmJoiner: false });
    expect(wasm.joinerRuntime).toMatch(/^WebAssembly \(int8, up to \d+ rows a call\)$/);
    expect(onnx.joinerRuntime).toBe('onnxruntime (wasmJoiner: false)');
    wasm.release();
    onnx.release();
  });
});

describe('the WebAssembly joiner', () => {
  it.each(JOINERS)('gives onnxruntime’s logits for %s on random rows, 1 row to more than it first holds', (file) => {
    const bytes = readFileSync(join(ROOT, file));
    const w = weightsOf(bytes);
    const kernel = new WasmJoiner(w);
    const session = new OrtSession(file, threads, bytes);
    for (const rows of [1, 3, 4, kernel.maxRows, kernel.maxRows + 5, 2]) {
      // Sums up to ±10: tanh's knee, saturation and its clamp at ±9.
      compare(w, kernel, session, rowsOf(rows * w.dim, rows), rowsOf(rows * w.dim, 1000 + rows, 7), rows);
    }
    session.release();
  });

  it.each([
    ['int8', 'resources/models/earshot-rnnt', 'int8'],
    ['fp32', 'resources/models/earshot-rnnt', 'fp32'],
    ['zipformer2', 'test/fixtures/models/zipformer2', undefined],
  ])('gives onnxruntime’s logits on the rows a beam-4 decode of a demo recording sends (%s)', async (_name, dir, variant) => {
    const model = TransducerModel.load(join(ROOT, dir), { variant, wasmJoiner: false });
    const calls: { encoder: Float32Array; decoder: Float32Array; rows: number }[] = [];
    const run = model.runJoiner.bind(model);
    model.runJoiner = (encoder, decoder, rows) => {
      calls.push({ encoder: encoder.slice(0, rows * model.joinerDim), decoder: decoder.slice(0, rows * model.joinerDim), rows });
      return run(encoder, decoder, rows);
    };
    const { samples } = await decodeAudioFile(join(ROOT, 'resources/demo', 'message-priya.wav'));
    decodeSamples(model, samples, { beam: 4 });
    const bytes = readFileSync(model.spec.files.joiner);
    const w = weightsOf(bytes);
    const kernel = new WasmJoiner(w);
    const session = new OrtSession(model.spec.files.joiner, threads, bytes);
    let flipped = 0;
    let rows = 0;
    for (const c of calls) {
      flipped += compare(w, kernel, session, c.encoder, c.decoder, c.rows);
      rows += c.rows;
    }
    expect(calls.length).toBeGreaterThan(100);
    // int8: 0.2 % of the rows of such decodes (16 % with the plain tanh near saturation too).
    expect(flipped).toBeLessThanOrEqual(w.kind === 'int8' ? rows * 0.01 : 0);
    session.release();
    model.release();
  });

  it.each([
    ['a Gemm with B not transposed', { op: 'Gemm', transB: 0, weight: rowsOf(64 * 11, 7), bias: rowsOf(11, 8) }],
    ['a DynamicQuantizeMatMul with uint8 B, one scale and zero point, no bias', { op: 'DynamicQuantizeMatMul', b: Uint8Array.from(rowsOf(64 * 11, 9), (x) => Math.round((x + 3) * 42)), scale: Float32Array.of(0.01), zeroPoint: Uint8Array.of(128) }],
    ['a DynamicQuantizeMatMul with int8 B, no zero point', { op: 'DynamicQuantizeMatMul', b: Int8Array.from(rowsOf(64 * 11, 10), (x) => Math.round(x * 42)), scale: rowsOf(11, 11).map((x) => 0.01 + 0.001 * x), bias: rowsOf(11, 12) }],
  ] as const)('gives onnxruntime’s logits for %s', (_name, output) => {
    const bytes = joinerOnnx({ dim: 64, vocab: 11, output } as JoinerSpec);
    const w = weightsOf(bytes);
    const kernel = new WasmJoiner(w);
    const session = new OrtSession('made-here.onnx', threads, bytes);
    for (const rows of [1, 4, 9]) compare(w, kernel, session, rowsOf(rows * 64, rows), rowsOf(rows * 64, 50 + rows), rows);
    session.release();
  });

  it.each([
    ['the shipped model (int8)', 'resources/models/earshot-rnnt', 'int8'],
    ['the zipformer2 fixture', 'test/fixtures/models/zipformer2', undefined],
  ])('decodes the demo recordings to the texts onnxruntime’s joiner gives, greedy and beam 4: %s', async (_name, dir, variant) => {
    const wasm = TransducerModel.load(join(ROOT, dir), { variant });
    const onnx = TransducerModel.load(join(ROOT, dir), { variant, wasmJoiner: false });
    for (const name of ['message-priya.wav', 'real-left.wav', 'kitchen-lights.wav']) {
      const { samples } = await decodeAudioFile(join(ROOT, 'resources/demo', name));
      for (const options of [{ beam: 1 }, { beam: 4 }]) expect(decodeSamples(wasm, samples, options).hyp).toBe(decodeSamples(onnx, samples, options).hyp);
    }
    wasm.release();
    onnx.release();
  });
});

it('takes calls up to MAX_KERNEL_MACS multiply-adds', () => {
  expect(new WasmJoiner(weightsOf(readFileSync(join(ROOT, JOINERS[0][0])))).maxRows).toBe(Math.floor(MAX_KERNEL_MACS / (256 * 29)));
});
