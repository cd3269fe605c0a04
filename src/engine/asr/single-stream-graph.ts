/**
 * The encoder graph rewritten for one stream per call, the way Earshot runs a single stream:
 *
 * - the symbolic batch dimension of its first input is fixed at 1 on every graph input and
 *   output, so onnxruntime knows every shape and plans the graph statically (about 4 % less
 *   time per zipformer2 call; onnxruntime-node has no option for it, the C API's
 *   free-dimension overrides);
 * - the recurrent states travel packed, one flat tensor per element type in and out (Split and
 *   Reshape nodes in front, Reshape and Concat behind), instead of one tensor each: each tensor
 *   costs the node binding a few µs per call (its properties, a new ArrayBuffer, a Tensor
 *   object), and a zipformer2 encoder carries dozens of them.
 *
 * Results equal the exported graph's to float rounding (the packing only moves data). The
 * bytes are rewritten in memory; a graph whose weights live in external data files, which
 * onnxruntime finds next to the model's path, is left as it is.
 */
import { parseOnnxModelInfo } from './onnx-metadata';
import { protoFields, protoString, WireType, type ProtoField } from './protobuf-reader';
import { concatBytes, lengthDelimitedField, varintField } from './protobuf-writer';
import type { StateTensorSpec } from './encoder-state';

// Field numbers and enums from onnx.proto.
const Model = { graph: 7 };
const Graph = { node: 1, initializer: 5, input: 11, output: 12 };
const NodeProto = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 };
const Attribute = { name: 1, i: 3, type: 20 };
const ATTRIBUTE_INT = 2;
const TensorProto = { dims: 1, dataType: 2, name: 8, rawData: 9, dataLocation: 14 };
const DataType = { float32: 1, int64: 7 };
const EXTERNAL = 1;
const ValueInfo = { name: 1, type: 2 };
const TypeProto = { tensorType: 1 };
const TensorType = { elemType: 1, shape: 2 };
const Shape = { dim: 1 };
const Dim = { value: 1, param: 2 };

/** Split with the sizes as an input, as the packing uses it, exists from opset 13. */
const MIN_OPSET = 13;

/** Names of the packed state tensors in the rewritten graph, per element type. */
export const PACKED_STATE = {
  float32: { input: 'earshot_packed_states_f32', output: 'earshot_packed_new_states_f32' },
  int64: { input: 'earshot_packed_states_i64', output: 'earshot_packed_new_states_i64' },
} as const;

export interface SingleStreamGraph {
  bytes: Uint8Array;
  /** Whether the states travel packed (PACKED_STATE), else one tensor each as exported. */
  packed: boolean;
}

/**
 * The encoder for one stream per call, or null where there is nothing to rewrite (the first
 * input's first dimension is not symbolic) or the graph cannot be loaded from memory.
 */
export function singleStreamGraph(model: Uint8Array, states: readonly StateTensorSpec[]): SingleStreamGraph | null {
  const info = parseOnnxModelInfo(model);
  const batchName = info.inputs[0]?.shape[0];
  if (typeof batchName !== 'string' || hasExternalData(model)) return null;
  const packed = info.opsetVersion >= MIN_OPSET && states.length > 0;
  const graph: Rewrite = (bytes) => {
    const fixed = rewriteFields(bytes, { [Graph.input]: fixBatch(batchName), [Graph.output]: fixBatch(batchName) });
    return packed ? packStates(fixed, states) : fixed;
  };
  return { bytes: rewriteFields(model, { [Model.graph]: graph }), packed };
}

/** A length-delimited field's new payload, or null to drop the field. */
type Rewrite = (bytes: Uint8Array) => Uint8Array | null;

/** The message with the length-delimited fields `rewrites` names replaced or dropped; all else copied as written. */
function rewriteFields(buf: Uint8Array, rewrites: Readonly<Record<number, Rewrite>>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of protoFields(buf)) {
    const part = rewriteField(f, rewrites[f.fieldNumber]);
    if (part) parts.push(part);
  }
  return concatBytes(parts);
}

function rewriteField(f: ProtoField, rewrite: Rewrite | undefined): Uint8Array | null {
  if (!rewrite || f.wireType !== WireType.lengthDelimited) return f.raw;
  const bytes = rewrite(f.bytes);
  return bytes && lengthDelimitedField(f.fieldNumber, [bytes]);
}

/** A ValueInfoProto with `batchName` written as 1 wherever its shape has it. */
function fixBatch(batchName: string): Rewrite {
  const dim: Rewrite = (bytes) => (dimParam(bytes) === batchName ? varintField(Dim.value, 1) : bytes);
  const shape: Rewrite = (bytes) => rewriteFields(bytes, { [Shape.dim]: dim });
  const tensorType: Rewrite = (bytes) => rewriteFields(bytes, { [TensorType.shape]: shape });
  const type: Rewrite = (bytes) => rewriteFields(bytes, { [TypeProto.tensorType]: tensorType });
  return (bytes) => rewriteFields(bytes, { [ValueInfo.type]: type });
}

function dimParam(bytes: Uint8Array): string | null {
  for (const f of protoFields(bytes)) {
    if (f.fieldNumber === Dim.param && f.wireType === WireType.lengthDelimited) return protoString(f.bytes);
  }
  return null;
}

function valueInfoName(bytes: Uint8Array): string {
  for (const f of protoFields(bytes)) if (f.fieldNumber === ValueInfo.name && f.wireType === WireType.lengthDelimited) return protoString(f.bytes);
  return '';
}

/**
 * Replaces the state inputs and outputs by one flat tensor per element type. The state names
 * stay as the graph's inner values: Split + Reshape nodes ahead of all others produce the
 * inputs (nodes are in topological order), Reshape + Concat nodes after all others gather the outputs.
 */
function packStates(graph: Uint8Array, states: readonly StateTensorSpec[]): Uint8Array {
  const without = (names: Set<string>): Rewrite => (bytes) => (names.has(valueInfoName(bytes)) ? null : bytes);
  const rest = rewriteFields(graph, { [Graph.input]: without(new Set(states.map((s) => s.input))), [Graph.output]: without(new Set(states.map((s) => s.output))) });
  const front: Uint8Array[] = [];
  const back: Uint8Array[] = [];
  for (const type of ['float32', 'int64'] as const) {
    const group = states.filter((s) => s.type === type);
    if (group.length === 0) continue;
    const names = PACKED_STATE[type];
    const elem = DataType[type];
    const sizes = group.map((s) => s.dims.reduce((a, b) => a * b, 1));
    const total = sizes.reduce((a, b) => a + b, 0);
    const prefix = `earshot_pack_${type}`;
    const splits = group.map((_, i) => `${prefix}_part${i}`);
    front.push(
      field(Graph.initializer, int64Tensor(`${prefix}_sizes`, sizes)),
      field(Graph.node, node('Split', [names.input, `${prefix}_sizes`], splits, [intAttribute('axis', 0)])),
      ...group.flatMap((s, i) => [
        field(Graph.initializer, int64Tensor(`${prefix}_shape${i}`, s.dims)),
        field(Graph.node, node('Reshape', [splits[i], `${prefix}_shape${i}`], [s.input])),
      ]),
    );
    const flats = group.map((_, i) => `${prefix}_flat${i}`);
    back.push(
      field(Graph.initializer, int64Tensor(`${prefix}_flat`, [-1])),
      ...group.map((s, i) => field(Graph.node, node('Reshape', [s.output, `${prefix}_flat`], [flats[i]]))),
      field(Graph.node, node('Concat', flats, [names.output], [intAttribute('axis', 0)])),
      // Graph inputs keep their order (x first); the packed ones follow it.
      field(Graph.input, valueInfo(names.input, elem, [total])),
      field(Graph.output, valueInfo(names.output, elem, [total])),
    );
  }
  return concatBytes([...front, rest, ...back]);
}

const utf8 = new TextEncoder();
const field = (n: number, bytes: Uint8Array): Uint8Array => lengthDelimitedField(n, [bytes]);
const stringField = (n: number, s: string): Uint8Array => field(n, utf8.encode(s));

function node(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: Uint8Array[] = []): Uint8Array {
  return concatBytes([
    ...inputs.map((i) => stringField(NodeProto.input, i)),
    ...outputs.map((o) => stringField(NodeProto.output, o)),
    stringField(NodeProto.name, `earshot_${opType}_${outputs[0]}`),
    stringField(NodeProto.opType, opType),
    ...attributes.map((a) => field(NodeProto.attribute, a)),
  ]);
}

function intAttribute(name: string, value: number): Uint8Array {
  return concatBytes([stringField(Attribute.name, name), varintField(Attribute.i, value), varintField(Attribute.type, ATTRIBUTE_INT)]);
}

function int64Tensor(name: string, values: readonly number[]): Uint8Array {
  const raw = new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
  return concatBytes([varintField(TensorProto.dims, values.length), varintField(TensorProto.dataType, DataType.int64), stringField(TensorProto.name, name), field(TensorProto.rawData, raw)]);
}

function valueInfo(name: string, elemType: number, dims: readonly number[]): Uint8Array {
  const shape = concatBytes(dims.map((d) => field(Shape.dim, varintField(Dim.value, d))));
  const tensorType = concatBytes([varintField(TensorType.elemType, elemType), field(TensorType.shape, shape)]);
  return concatBytes([stringField(ValueInfo.name, name), field(ValueInfo.type, field(TypeProto.tensorType, tensorType))]);
}

function hasExternalData(model: Uint8Array): boolean {
  for (const m of protoFields(model)) {
    if (m.fieldNumber !== Model.graph || m.wireType !== WireType.lengthDelimited) continue;
    for (const g of protoFields(m.bytes)) {
      if (g.fieldNumber !== Graph.initializer || g.wireType !== WireType.lengthDelimited) continue;
      for (const t of protoFields(g.bytes)) if (t.fieldNumber === TensorProto.dataLocation && t.varint === EXTERNAL) return true;
    }
  }
  return false;
}
