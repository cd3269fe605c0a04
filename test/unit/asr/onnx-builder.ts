/**
 * Test helper: writes ONNX ModelProto bytes with metadata and graph inputs/outputs only
 * (no nodes). Enough to exercise the metadata reader and model-directory validation.
 */
import { varintBytes as varint } from '../../../src/engine/asr/protobuf-writer';

export interface FakeValueInfo {
  name: string;
  elemType?: number;
  shape: (number | string)[];
}

export interface FakeModel {
  metadata?: Record<string, string>;
  inputs: FakeValueInfo[];
  outputs: FakeValueInfo[];
  initializers?: string[];
}

const key = (field: number, wire: number): number[] => varint(field * 8 + wire);
const vField = (field: number, n: number): number[] => [...key(field, 0), ...varint(n)];
const bField = (field: number, bytes: number[]): number[] => [...key(field, 2), ...varint(bytes.length), ...bytes];
const sField = (field: number, s: string): number[] => bField(field, [...new TextEncoder().encode(s)]);

function valueInfo(v: FakeValueInfo): number[] {
  const dims = v.shape.flatMap((d) => bField(1, typeof d === 'number' ? vField(1, d) : sField(2, d)));
  const tensorType = [...vField(1, v.elemType ?? 1), ...bField(2, dims)];
  return [...sField(1, v.name), ...bField(2, bField(1, tensorType))];
}

export function buildOnnx(m: FakeModel): Uint8Array {
  const graph = [
    ...sField(2, 'g'),
    ...(m.initializers ?? []).flatMap((n) => bField(5, [...vField(1, 4), ...vField(2, 1), ...sField(8, n)])),
    ...[...(m.initializers ?? []).map((n) => ({ name: n, shape: [4] })), ...m.inputs].flatMap((v) => bField(11, valueInfo(v))),
    ...m.outputs.flatMap((v) => bField(12, valueInfo(v))),
  ];
  const model = [
    ...vField(1, 8),
    ...sField(2, 'earshot-test'),
    ...bField(7, graph),
    ...bField(8, [...sField(1, ''), ...vField(2, 13)]),
    ...Object.entries(m.metadata ?? {}).flatMap(([k, v]) => bField(14, [...sField(1, k), ...sField(2, v)])),
  ];
  return new Uint8Array(model);
}
