/**
 * Recognises the joiner graph of an icefall transducer, logit = W · tanh(encoder_out +
 * decoder_out) + b, and reads its weights, so that the WebAssembly kernel (wasm/joiner-kernel.ts)
 * can run it in place of an onnxruntime call (whose fixed cost through the node binding is most
 * of a joiner call's time). The output layer is a Gemm (fp32 exports) or a DynamicQuantizeMatMul
 * (onnxruntime's dynamic int8 quantisation, as Earshot's int8 joiner has it). Any other graph,
 * or one that differs in a detail, is left to onnxruntime, with the reason.
 */
import { OnnxElemType, parseOnnxModelInfo, type OnnxModelInfo } from './onnx-metadata';
import { protoFields, protoString, readVarint, WireType } from './protobuf-reader';

export interface FloatJoinerWeights {
  kind: 'fp32';
  dim: number;
  vocab: number;
  /** vocab × dim: one row per output column. */
  weight: Float32Array;
  bias: Float32Array;
}

export interface Int8JoinerWeights {
  kind: 'int8';
  dim: number;
  vocab: number;
  /** vocab × dim: B less its column's zero point, one row per output column. */
  weight: Int16Array;
  /** B's scale per column. */
  columnScale: Float32Array;
  bias: Float32Array;
}

export type JoinerWeights = FloatJoinerWeights | Int8JoinerWeights;

export type JoinerGraph = { weights: JoinerWeights } | { reason: string };

// Field numbers from onnx.proto.
const Model = { graph: 7 };
const Graph = { node: 1, initializer: 5 };
const NodeProto = { input: 1, output: 2, opType: 4, attribute: 5, domain: 7 };
const Attribute = { name: 1, f: 2, i: 3 };
const TensorProto = { dims: 1, dataType: 2, floatData: 4, int32Data: 5, name: 8, rawData: 9, dataLocation: 14 };
const DataType = { float: 1, uint8: 2, int8: 3 };

interface GraphNode {
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, number>;
}

interface Initializer {
  dims: number[];
  dataType: number;
  /** The elements as numbers, or null where they live outside the file. */
  values: number[] | null;
}

/** The kernel's weights for a joiner graph of the expected shape, else why it stays with onnxruntime. */
export function readJoinerGraph(model: Uint8Array): JoinerGraph {
  const info = parseOnnxModelInfo(model);
  const io = checkInputsAndOutputs(info);
  if ('reason' in io) return io;
  const { nodes, initializers } = readGraph(model);
  const ops = nodes.map((n) => n.opType).join(' → ');
  if (nodes.length !== 3) return { reason: `joiner graph is ${ops}, not Add → Tanh → Gemm or DynamicQuantizeMatMul` };
  const [add, tanh, out] = nodes;
  const sum = add.outputs[0];
  if (add.opType !== 'Add' || add.domain !== '' || [...add.inputs].sort().join() !== 'decoder_out,encoder_out') return { reason: `joiner graph does not start with Add(encoder_out, decoder_out): ${ops}` };
  if (tanh.opType !== 'Tanh' || tanh.domain !== '' || tanh.inputs[0] !== sum) return { reason: `joiner graph's second node is not Tanh of the sum: ${ops}` };
  if (out.inputs[0] !== tanh.outputs[0] || out.outputs[0] !== 'logit') return { reason: `joiner graph's last node does not map the tanh to logit: ${ops}` };
  const { dim, vocab } = io;
  if (out.opType === 'Gemm' && out.domain === '') return gemmWeights(out, initializers, dim, vocab);
  if (out.opType === 'DynamicQuantizeMatMul' && out.domain === 'com.microsoft') return dynamicQuantizeWeights(out, initializers, dim, vocab);
  return { reason: `joiner graph's output layer is ${out.domain ? `${out.domain}.` : ''}${out.opType}, not Gemm or DynamicQuantizeMatMul` };
}

function checkInputsAndOutputs(info: OnnxModelInfo): { dim: number; vocab: number } | { reason: string } {
  const [enc, dec] = info.inputs;
  const [logit] = info.outputs;
  const shape = (v: { name: string; shape: unknown[] }) => `${v.name} [${v.shape.join(', ')}]`;
  if (info.inputs.length !== 2 || info.outputs.length !== 1 || enc.name !== 'encoder_out' || dec.name !== 'decoder_out' || logit.name !== 'logit') {
    return { reason: `joiner graph's inputs and outputs are not encoder_out, decoder_out → logit` };
  }
  const dim = enc.shape[1];
  const vocab = logit.shape[1];
  const float = (v: { elemType: number; shape: unknown[] }) => v.elemType === OnnxElemType.float && v.shape.length === 2;
  if (![enc, dec, logit].every(float) || typeof dim !== 'number' || dec.shape[1] !== dim || typeof vocab !== 'number') {
    return { reason: `joiner graph's inputs and outputs are not float rows of a fixed width: ${[enc, dec, logit].map(shape).join(', ')}` };
  }
  if (dim % 8 !== 0) return { reason: `joiner dimension ${dim} is not a multiple of 8` };
  return { dim, vocab };
}

function gemmWeights(gemm: GraphNode, initializers: Map<string, Initializer>, dim: number, vocab: number): JoinerGraph {
  const a = gemm.attributes;
  if ((a.get('alpha') ?? 1) !== 1 || (a.get('beta') ?? 1) !== 1 || (a.get('transA') ?? 0) !== 0) return { reason: 'joiner Gemm scales or transposes its input' };
  const transB = (a.get('transB') ?? 0) === 1;
  const w = initializers.get(gemm.inputs[1]);
  const b = gemm.inputs[2] ? initializers.get(gemm.inputs[2]) : undefined;
  const wDims = transB ? [vocab, dim] : [dim, vocab];
  if (!w || w.dataType !== DataType.float || w.dims.join() !== wDims.join() || !w.values) return { reason: `joiner Gemm's weight is not a float [${wDims.join(', ')}] in the file` };
  if (!b || b.dataType !== DataType.float || count(b.dims) !== vocab || !b.values) return { reason: `joiner Gemm's bias is not a float [${vocab}] in the file` };
  const weight = new Float32Array(vocab * dim);
  for (let c = 0; c < vocab; c++) for (let k = 0; k < dim; k++) weight[c * dim + k] = w.values[transB ? c * dim + k : k * vocab + c];
  return { weights: { kind: 'fp32', dim, vocab, weight, bias: Float32Array.from(b.values) } };
}

function dynamicQuantizeWeights(node: GraphNode, initializers: Map<string, Initializer>, dim: number, vocab: number): JoinerGraph {
  const [, bName, scaleName, zpName, biasName] = node.inputs;
  const b = initializers.get(bName);
  const scale = initializers.get(scaleName);
  const zp = zpName ? initializers.get(zpName) : undefined;
  const bias = biasName ? initializers.get(biasName) : undefined;
  const int8 = (t: Initializer | undefined) => t !== undefined && (t.dataType === DataType.int8 || t.dataType === DataType.uint8) && t.values !== null;
  if (!int8(b) || b?.dims.join() !== [dim, vocab].join()) return { reason: `joiner DynamicQuantizeMatMul's B is not an 8-bit [${dim}, ${vocab}] in the file` };
  const perColumn = (t: Initializer | undefined) => t?.values && (count(t.dims) === vocab || count(t.dims) === 1);
  if (!scale || scale.dataType !== DataType.float || !perColumn(scale)) return { reason: `joiner DynamicQuantizeMatMul's B scale is not a float per column or per tensor` };
  if (zpName && (!int8(zp) || zp?.dataType !== b.dataType || !perColumn(zp))) return { reason: `joiner DynamicQuantizeMatMul's B zero point is not of B's type per column or per tensor` };
  if (biasName && (!bias || bias.dataType !== DataType.float || count(bias.dims) !== vocab || !bias.values)) return { reason: `joiner DynamicQuantizeMatMul's bias is not a float [${vocab}] in the file` };
  const bValues = b.values as number[];
  const column = (t: Initializer | undefined, c: number): number => (t?.values ? t.values[t.values.length === 1 ? 0 : c] : 0);
  const weight = new Int16Array(vocab * dim);
  for (let c = 0; c < vocab; c++) for (let k = 0; k < dim; k++) weight[c * dim + k] = bValues[k * vocab + c] - column(zp, c);
  return {
    weights: {
      kind: 'int8',
      dim,
      vocab,
      weight,
      columnScale: Float32Array.from({ length: vocab }, (_, c) => column(scale, c)),
      bias: bias?.values ? Float32Array.from(bias.values) : new Float32Array(vocab),
    },
  };
}

const count = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function readGraph(model: Uint8Array): { nodes: GraphNode[]; initializers: Map<string, Initializer> } {
  const nodes: GraphNode[] = [];
  const initializers = new Map<string, Initializer>();
  for (const m of protoFields(model)) {
    if (m.fieldNumber !== Model.graph || m.wireType !== WireType.lengthDelimited) continue;
    for (const g of protoFields(m.bytes)) {
      if (g.wireType !== WireType.lengthDelimited) continue;
      if (g.fieldNumber === Graph.node) nodes.push(readNode(g.bytes));
      else if (g.fieldNumber === Graph.initializer) {
        const [name, tensor] = readTensor(g.bytes);
        initializers.set(name, tensor);
      }
    }
  }
  return { nodes, initializers };
}

function readNode(bytes: Uint8Array): GraphNode {
  const node: GraphNode = { opType: '', domain: '', inputs: [], outputs: [], attributes: new Map() };
  for (const f of protoFields(bytes)) {
    if (f.fieldNumber === NodeProto.input) node.inputs.push(protoString(f.bytes));
    else if (f.fieldNumber === NodeProto.output) node.outputs.push(protoString(f.bytes));
    else if (f.fieldNumber === NodeProto.opType) node.opType = protoString(f.bytes);
    else if (f.fieldNumber === NodeProto.domain) node.domain = protoString(f.bytes) === 'ai.onnx' ? '' : protoString(f.bytes);
    else if (f.fieldNumber === NodeProto.attribute) readAttribute(f.bytes, node.attributes);
  }
  return node;
}

/** Int and float attributes (all a joiner's Gemm has), by name. */
function readAttribute(bytes: Uint8Array, into: Map<string, number>): void {
  let name = '';
  let value: number | undefined;
  for (const f of protoFields(bytes)) {
    if (f.fieldNumber === Attribute.name) name = protoString(f.bytes);
    else if (f.fieldNumber === Attribute.i && f.wireType === WireType.varint) value = f.varint;
    else if (f.fieldNumber === Attribute.f && f.wireType === WireType.fixed32) value = new DataView(f.raw.buffer, f.raw.byteOffset + f.raw.length - 4, 4).getFloat32(0, true);
  }
  if (value !== undefined) into.set(name, value);
}

function readTensor(bytes: Uint8Array): [string, Initializer] {
  let name = '';
  const tensor: Initializer = { dims: [], dataType: 0, values: null };
  let raw: Uint8Array | null = null;
  let external = false;
  const floats: number[] = [];
  const ints: number[] = [];
  for (const f of protoFields(bytes)) {
    if (f.fieldNumber === TensorProto.name) name = protoString(f.bytes);
    else if (f.fieldNumber === TensorProto.dataType) tensor.dataType = f.varint;
    else if (f.fieldNumber === TensorProto.dims) tensor.dims.push(...packedVarints(f));
    else if (f.fieldNumber === TensorProto.rawData) raw = f.bytes;
    else if (f.fieldNumber === TensorProto.dataLocation) external = f.varint === 1;
    else if (f.fieldNumber === TensorProto.floatData) floats.push(...packedFloats(f));
    else if (f.fieldNumber === TensorProto.int32Data) ints.push(...packedVarints(f));
  }
  if (!external) tensor.values = raw ? rawValues(raw, tensor.dataType) : tensor.dataType === DataType.float ? floats : ints.map((v) => (tensor.dataType === DataType.int8 ? (v << 24) >> 24 : v));
  if (tensor.values && tensor.values.length !== count(tensor.dims)) tensor.values = null;
  return [name, tensor];
}

function rawValues(raw: Uint8Array, dataType: number): number[] | null {
  const copy = new Uint8Array(raw); // a copy, aligned (raw may be a Buffer, whose slice() is a view)
  if (dataType === DataType.float) return raw.length % 4 === 0 ? Array.from(new Float32Array(copy.buffer)) : null;
  if (dataType === DataType.int8) return Array.from(new Int8Array(copy.buffer));
  if (dataType === DataType.uint8) return Array.from(copy);
  return null;
}

function packedVarints(f: { wireType: number; varint: number; bytes: Uint8Array }): number[] {
  if (f.wireType === WireType.varint) return [f.varint];
  const out: number[] = [];
  for (let pos = 0; pos < f.bytes.length; ) {
    const [v, next] = readVarint(f.bytes, pos);
    out.push(v);
    pos = next;
  }
  return out;
}

function packedFloats(f: { wireType: number; raw: Uint8Array; bytes: Uint8Array }): number[] {
  const bytes = f.wireType === WireType.fixed32 ? f.raw.subarray(f.raw.length - 4) : f.bytes;
  return Array.from(new Float32Array(new Uint8Array(bytes).buffer));
}
