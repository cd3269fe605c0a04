/**
 * The encoder Earshot runs a single stream on: the exported graph with its batch axis fixed at 1
 * and its states packed into one flat tensor per element type. It must decode exactly as the
 * exported graph does, on the real fixtures (zipformer2 with an int64 state among its float
 * ones, zipformer with several, the tiny Earshot model), and leave graphs it cannot rewrite.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSamples } from '../../../src/engine/asr/decode-utterance';
import { StatePacking, type StateTensorSpec } from '../../../src/engine/asr/encoder-state';
import { resolveModelDir } from '../../../src/engine/asr/model-dir';
import { parseOnnxModelInfo } from '../../../src/engine/asr/onnx-metadata';
import { protoFields } from '../../../src/engine/asr/protobuf-reader';
import { concatBytes, lengthDelimitedField, varintField } from '../../../src/engine/asr/protobuf-writer';
import { PACKED_STATE, singleStreamGraph } from '../../../src/engine/asr/single-stream-graph';
import { TransducerModel } from '../../../src/engine/asr/transducer-model';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import type { DecodeResult } from '../../../src/shared/domain/decode';
import { buildOnnx } from './onnx-builder';

const FIXTURES = join(__dirname, '../../fixtures');
const DEMO = join(__dirname, '../../../resources/demo');

let audio: Float32Array[] = [];
beforeAll(async () => {
  const files = readdirSync(DEMO).filter((f) => f.endsWith('.wav')).sort();
  audio = await Promise.all(files.slice(0, 3).map(async (f) => (await decodeAudioFile(join(DEMO, f))).samples));
});

describe('the single-stream encoder graph', () => {
  it('takes x for one stream and the states packed: one float32 and one int64 tensor (zipformer2)', () => {
    const spec = resolveModelDir(join(FIXTURES, 'models/zipformer2'));
    const graph = singleStreamGraph(readFileSync(spec.files.encoder), spec.states);
    expect(graph?.packed).toBe(true);
    const info = parseOnnxModelInfo(graph!.bytes);
    const packing = new StatePacking(spec.states);
    expect(info.inputs.map((v) => [v.name, v.shape])).toEqual([
      ['x', [1, spec.T, spec.featureDim]],
      [PACKED_STATE.float32.input, [packing.float32Length]],
      [PACKED_STATE.int64.input, [packing.int64Length]],
    ]);
    expect(info.outputs.map((v) => v.name)).toEqual(['encoder_out', PACKED_STATE.float32.output, PACKED_STATE.int64.output]);
    expect(info.outputs[0].shape[0]).toBe(1);
    expect(info.metadata).toEqual(parseOnnxModelInfo(readFileSync(spec.files.encoder)).metadata);
  });

  it.each([
    ['zipformer2', join(FIXTURES, 'models/zipformer2'), undefined],
    ['zipformer', join(FIXTURES, 'models/zipformer'), undefined],
    ['tiny Earshot model (fp32)', join(FIXTURES, 'tiny-model'), 'fp32'],
  ])('decodes the %s exactly as the exported graph does, greedy and beam 4', (_name, dir, variant) => {
    const rewritten = TransducerModel.load(dir, { variant });
    const exported = TransducerModel.load(dir, { variant, singleStreamGraph: false });
    try {
      for (const options of [{ beam: 1, maxSymbolsPerFrame: 1 }, { beam: 4 }]) {
        for (const samples of audio) expectSameResult(decodeSamples(rewritten, samples, options), decodeSamples(exported, samples, options));
      }
    } finally {
      rewritten.release();
      exported.release();
    }
  });

  it('leaves a graph without a symbolic batch axis alone', () => {
    const bytes = buildOnnx({ inputs: [{ name: 'x', shape: [1, 32, 80] }, { name: 'state0', shape: [1, 1, 64] }], outputs: [{ name: 'encoder_out', shape: [1, 8, 64] }] });
    expect(singleStreamGraph(bytes, [state('state0', [1, 1, 64])])).toBeNull();
  });

  it('leaves a graph whose weights are in external data files alone (onnxruntime looks for them beside the model file)', () => {
    const bytes = buildOnnx({ inputs: [{ name: 'x', shape: ['N', 32, 80] }], outputs: [{ name: 'encoder_out', shape: ['N', 8, 64] }] });
    // An initializer whose data_location (field 14) is EXTERNAL, added to the graph (field 7).
    const external = lengthDelimitedField(5, [varintField(1, 4), varintField(2, 1), lengthDelimitedField(8, [new TextEncoder().encode('w')]), varintField(14, 1)]);
    const graph = [...protoFields(bytes)].find((f) => f.fieldNumber === 7)!;
    const withExternal = concatBytes([...[...protoFields(bytes)].filter((f) => f.fieldNumber !== 7).map((f) => f.raw), lengthDelimitedField(7, [graph.bytes, external])]);
    expect(parseOnnxModelInfo(withExternal).inputs[0].shape).toEqual(['N', 32, 80]);
    expect(singleStreamGraph(withExternal, [])).toBeNull();
  });

  it('fixes the batch axis on every input and output that has it, and packs nothing without states', () => {
    const bytes = buildOnnx({ inputs: [{ name: 'x', shape: ['N', 32, 80] }], outputs: [{ name: 'encoder_out', shape: ['N', 'T', 64] }] });
    const graph = singleStreamGraph(bytes, []);
    expect(graph?.packed).toBe(false);
    const info = parseOnnxModelInfo(graph!.bytes);
    expect(info.inputs[0].shape).toEqual([1, 32, 80]);
    expect(info.outputs[0].shape).toEqual([1, 'T', 64]);
  });
});

describe('StatePacking', () => {
  it('lays the states of each element type one after another, in layout order', () => {
    const packing = new StatePacking([state('a', [2, 1, 3]), state('len', [2, 1], 'int64'), state('b', [1, 4])]);
    expect([packing.float32Length, packing.int64Length]).toEqual([10, 2]);
    const packed = packing.initial();
    packed.float32.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    packed.int64.set([7n, 8n]);
    expect([...packing.view(packed, 0)]).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...packing.view(packed, 1)]).toEqual([7n, 8n]);
    expect([...packing.view(packed, 2)]).toEqual([6, 7, 8, 9]);
    (packing.view(packed, 2) as Float32Array)[0] = -1;
    expect(packed.float32[6]).toBe(-1);
  });
});

function state(input: string, dims: number[], type: 'float32' | 'int64' = 'float32'): StateTensorSpec {
  return { input, output: `new_${input}`, type, dims, batchAxis: dims.indexOf(1) };
}

function expectSameResult(a: DecodeResult, b: DecodeResult): void {
  expect(a.hyp).toBe(b.hyp);
  const tokens = (r: DecodeResult) => r.nbest.map((h) => h.tokens.map((t) => [t.id, t.frame]));
  expect(tokens(a)).toEqual(tokens(b));
  a.nbest.forEach((h, i) => expect(h.score).toBeCloseTo(b.nbest[i].score, 4));
  expect(a.partials.map((p) => p.text)).toEqual(b.partials.map((p) => p.text));
}
