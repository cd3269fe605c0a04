/**
 * Test helper: joiner graphs as icefall exports them (Add → Tanh → output layer) with weights of
 * our choosing, written as ONNX bytes onnxruntime loads, for the cases the fixtures do not cover.
 */
import { concatBytes, lengthDelimitedField, varintField } from '../../../src/engine/asr/protobuf-writer';

export type OutputLayer =
  | { op: 'Gemm'; transB: 0 | 1; weight: Float32Array; bias: Float32Array }
  | { op: 'DynamicQuantizeMatMul'; b: Int8Array | Uint8Array; scale: Float32Array; zeroPoint?: Int8Array | Uint8Array; bias?: Float32Array };

export interface JoinerSpec {
  dim: number;
  vocab: number;
  output: OutputLayer;
  /** The middle node's operator (default Tanh). */
  activation?: string;
}

const utf8 = new TextEncoder();
const field = (n: number, ...parts: Uint8Array[]): Uint8Array => lengthDelimitedField(n, parts);
const text = (n: number, s: string): Uint8Array => field(n, utf8.encode(s));
const ELEM = { float: 1, uint8: 2, int8: 3 };

function tensor(name: string, dims: number[], data: Float32Array | Int8Array | Uint8Array): Uint8Array {
  const type = data instanceof Float32Array ? ELEM.float : data instanceof Int8Array ? ELEM.int8 : ELEM.uint8;
  return concatBytes([...dims.map((d) => varintField(1, d)), varintField(2, type), text(8, name), field(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength))]);
}

function node(op: string, inputs: string[], output: string, domain = '', ints: Record<string, number> = {}): Uint8Array {
  const attributes = Object.entries(ints).map(([k, v]) => field(5, text(1, k), varintField(3, v), varintField(20, 2)));
  return concatBytes([...inputs.map((i) => text(1, i)), text(2, output), text(3, `${op}_${output}`), text(4, op), ...attributes, ...(domain ? [text(7, domain)] : [])]);
}

function valueInfo(name: string, width: number): Uint8Array {
  const shape = field(2, field(1, text(2, 'N')), field(1, varintField(1, width)));
  return concatBytes([text(1, name), field(2, field(1, varintField(1, ELEM.float), shape))]);
}

export function joinerOnnx(spec: JoinerSpec): Uint8Array {
  const { dim, vocab, output: o } = spec;
  const nodes = [node('Add', ['encoder_out', 'decoder_out'], 'sum'), node(spec.activation ?? 'Tanh', ['sum'], 'hidden')];
  const initializers: Uint8Array[] = [];
  if (o.op === 'Gemm') {
    nodes.push(node('Gemm', ['hidden', 'W', 'b'], 'logit', '', { transB: o.transB }));
    initializers.push(tensor('W', o.transB ? [vocab, dim] : [dim, vocab], o.weight), tensor('b', [vocab], o.bias));
  } else {
    const inputs = ['hidden', 'B', 'B_scale', o.zeroPoint ? 'B_zp' : '', o.bias ? 'bias' : ''];
    while (inputs[inputs.length - 1] === '') inputs.pop();
    nodes.push(node('DynamicQuantizeMatMul', inputs, 'logit', 'com.microsoft'));
    initializers.push(tensor('B', [dim, vocab], o.b), tensor('B_scale', o.scale.length === 1 ? [] : [vocab], o.scale));
    if (o.zeroPoint) initializers.push(tensor('B_zp', o.zeroPoint.length === 1 ? [] : [vocab], o.zeroPoint));
    if (o.bias) initializers.push(tensor('bias', [vocab], o.bias));
  }
  const graph = concatBytes([
    ...nodes.map((n) => field(1, n)),
    text(2, 'joiner'),
    ...initializers.map((t) => field(5, t)),
    field(11, valueInfo('encoder_out', dim)),
    field(11, valueInfo('decoder_out', dim)),
    field(12, valueInfo('logit', vocab)),
  ]);
  const opset = (domain: string, version: number) => field(8, text(1, domain), varintField(2, version));
  return concatBytes([varintField(1, 7), field(7, graph), opset('', 13), opset('com.microsoft', 1)]);
}
