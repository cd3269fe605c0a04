/**
 * Reads what Earshot needs from an ONNX file without onnxruntime: the custom metadata
 * (`metadata_props`, which onnxruntime-node does not expose), the graph's input and
 * output names, element types and shapes, and the operators its top-level nodes use.
 */
import { readFileSync } from 'node:fs';
import { protoFields, protoString, ProtoFormatError, WireType } from './protobuf-reader';

/** A dimension is a fixed size, a symbolic name (dynamic), or null when unspecified. */
export type OnnxDim = number | string | null;

export interface OnnxValueInfo {
  name: string;
  /** TensorProto.DataType: 1 float, 7 int64, 6 int32, 10 float16 … (0 when not a tensor). */
  elemType: number;
  shape: OnnxDim[];
}

export interface OnnxModelInfo {
  irVersion: number;
  producerName: string;
  opsetVersion: number;
  metadata: Record<string, string>;
  /** Graph inputs that are not initializers, in order. */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Operator types of the graph's nodes (not of subgraphs), each once. */
  opTypes: string[];
}

export const OnnxElemType = { float: 1, int32: 6, int64: 7, float16: 10 } as const;

// Field numbers from onnx.proto.
const Model = { irVersion: 1, producerName: 2, graph: 7, opsetImport: 8, metadataProps: 14 };
const Graph = { node: 1, initializer: 5, input: 11, output: 12 };
const Node = { opType: 4 };
const Tensor = { name: 8 };
const ValueInfo = { name: 1, type: 2 };
const TypeProto = { tensorType: 1 };
const TensorType = { elemType: 1, shape: 2 };
const Shape = { dim: 1 };
const Dim = { value: 1, param: 2 };
const Entry = { key: 1, value: 2 };
const Opset = { domain: 1, version: 2 };

export class OnnxFormatError extends Error {}

export function readOnnxModelInfo(path: string): OnnxModelInfo {
  let buf: Uint8Array;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new OnnxFormatError(`cannot read ONNX file ${path}: ${(err as Error).message}`);
  }
  try {
    return parseOnnxModelInfo(buf);
  } catch (err) {
    if (err instanceof ProtoFormatError) throw new OnnxFormatError(`${path} is not a valid ONNX model: ${err.message}`);
    throw err;
  }
}

export function parseOnnxModelInfo(buf: Uint8Array): OnnxModelInfo {
  const info: OnnxModelInfo = { irVersion: 0, producerName: '', opsetVersion: 0, metadata: {}, inputs: [], outputs: [], opTypes: [] };
  let sawGraph = false;
  for (const f of protoFields(buf)) {
    if (f.fieldNumber === Model.irVersion && f.wireType === WireType.varint) info.irVersion = f.varint;
    else if (f.fieldNumber === Model.producerName && f.wireType === WireType.lengthDelimited) info.producerName = protoString(f.bytes);
    else if (f.fieldNumber === Model.opsetImport && f.wireType === WireType.lengthDelimited) readOpset(f.bytes, info);
    else if (f.fieldNumber === Model.metadataProps && f.wireType === WireType.lengthDelimited) readEntry(f.bytes, info.metadata);
    else if (f.fieldNumber === Model.graph && f.wireType === WireType.lengthDelimited) {
      readGraph(f.bytes, info);
      sawGraph = true;
    }
  }
  if (!sawGraph) throw new ProtoFormatError('no graph in ModelProto');
  return info;
}

function readOpset(bytes: Uint8Array, info: OnnxModelInfo): void {
  let domain = '';
  let version = 0;
  for (const f of protoFields(bytes)) {
    if (f.fieldNumber === Opset.domain && f.wireType === WireType.lengthDelimited) domain = protoString(f.bytes);
    else if (f.fieldNumber === Opset.version && f.wireType === WireType.varint) version = f.varint;
  }
  if (domain === '' || domain === 'ai.onnx') info.opsetVersion = version;
}

function readEntry(bytes: Uint8Array, into: Record<string, string>): void {
  let key = '';
  let value = '';
  for (const f of protoFields(bytes)) {
    if (f.fieldNumber === Entry.key) key = protoString(f.bytes);
    else if (f.fieldNumber === Entry.value) value = protoString(f.bytes);
  }
  into[key] = value;
}

function readGraph(bytes: Uint8Array, info: OnnxModelInfo): void {
  const initializers = new Set<string>();
  const inputs: OnnxValueInfo[] = [];
  const ops = new Set<string>();
  for (const f of protoFields(bytes)) {
    if (f.wireType !== WireType.lengthDelimited) continue;
    if (f.fieldNumber === Graph.node) ops.add(readOpType(f.bytes));
    else if (f.fieldNumber === Graph.initializer) initializers.add(readTensorName(f.bytes));
    else if (f.fieldNumber === Graph.input) inputs.push(readValueInfo(f.bytes));
    else if (f.fieldNumber === Graph.output) info.outputs.push(readValueInfo(f.bytes));
  }
  // IR < 4 lists initializers among the inputs too; they are weights, not inputs.
  info.inputs = inputs.filter((v) => !initializers.has(v.name));
  info.opTypes = [...ops];
}

function readOpType(bytes: Uint8Array): string {
  for (const f of protoFields(bytes)) {
    if (f.fieldNumber === Node.opType && f.wireType === WireType.lengthDelimited) return protoString(f.bytes);
  }
  return '';
}

function readTensorName(bytes: Uint8Array): string {
  for (const f of protoFields(bytes)) {
    if (f.fieldNumber === Tensor.name && f.wireType === WireType.lengthDelimited) return protoString(f.bytes);
  }
  return '';
}

function readValueInfo(bytes: Uint8Array): OnnxValueInfo {
  const v: OnnxValueInfo = { name: '', elemType: 0, shape: [] };
  for (const f of protoFields(bytes)) {
    if (f.fieldNumber === ValueInfo.name) v.name = protoString(f.bytes);
    else if (f.fieldNumber === ValueInfo.type) {
      for (const t of protoFields(f.bytes)) {
        if (t.fieldNumber === TypeProto.tensorType) readTensorType(t.bytes, v);
      }
    }
  }
  return v;
}

function readTensorType(bytes: Uint8Array, v: OnnxValueInfo): void {
  for (const f of protoFields(bytes)) {
    if (f.fieldNumber === TensorType.elemType && f.wireType === WireType.varint) v.elemType = f.varint;
    else if (f.fieldNumber === TensorType.shape) {
      for (const d of protoFields(f.bytes)) {
        if (d.fieldNumber === Shape.dim) v.shape.push(readDim(d.bytes));
      }
    }
  }
}

function readDim(bytes: Uint8Array): OnnxDim {
  for (const f of protoFields(bytes)) {
    if (f.fieldNumber === Dim.value && f.wireType === WireType.varint) return f.varint;
    if (f.fieldNumber === Dim.param && f.wireType === WireType.lengthDelimited) return protoString(f.bytes);
  }
  return null;
}

/** Metadata value as an integer, or a clear error naming the file and key. */
export function metadataInt(info: OnnxModelInfo, key: string, file: string): number {
  const raw = info.metadata[key];
  if (raw === undefined) throw new OnnxFormatError(`${file}: metadata key "${key}" is missing`);
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new OnnxFormatError(`${file}: metadata "${key}" = "${raw}" is not an integer`);
  return n;
}

/** Comma-separated integer list (zipformer2 stores per-stack values like "2,2,3,4,3,2"). */
export function metadataIntList(info: OnnxModelInfo, key: string, file: string): number[] {
  const raw = info.metadata[key];
  if (raw === undefined) throw new OnnxFormatError(`${file}: metadata key "${key}" is missing`);
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.some((n) => !Number.isInteger(n))) throw new OnnxFormatError(`${file}: metadata "${key}" = "${raw}" is not a list of integers`);
  return values;
}
