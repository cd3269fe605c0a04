/**
 * A minimal reader for the protobuf wire format: just enough to walk an ONNX ModelProto
 * without a generated schema. Fields are visited in file order; unknown ones are skipped.
 */

export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

export interface ProtoField {
  fieldNumber: number;
  wireType: number;
  /** Varint value (wire type 0), as a number: ONNX dims and ids fit in 2^53. */
  varint: number;
  /** Payload of a length-delimited field (wire type 2); empty otherwise. */
  bytes: Uint8Array;
  /** The whole field as written, key included: what a rewriter copies when it keeps the field. */
  raw: Uint8Array;
}

export class ProtoFormatError extends Error {}

/** Reads a base-128 varint at `pos`; returns the value and the position after it. */
export function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new ProtoFormatError('truncated varint');
    const byte = buf[pos++];
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return [i < 7 ? value : wideVarint(buf, pos - i - 1), pos];
    scale *= 128;
  }
  throw new ProtoFormatError('varint longer than 10 bytes');
}

/** Exact decode of a long varint: negative int64s (ONNX writes -1 for unknown dims) are 10 bytes. */
function wideVarint(buf: Uint8Array, start: number): number {
  let v = 0n;
  let shift = 0n;
  for (let pos = start; ; pos++) {
    v |= BigInt(buf[pos] & 0x7f) << shift;
    shift += 7n;
    if ((buf[pos] & 0x80) === 0) break;
  }
  return Number(BigInt.asIntN(64, v));
}

/** Iterates the top-level fields of one message. */
export function* protoFields(buf: Uint8Array): Generator<ProtoField> {
  let pos = 0;
  const empty = new Uint8Array(0);
  while (pos < buf.length) {
    const start = pos;
    const [key, afterKey] = readVarint(buf, pos);
    pos = afterKey;
    const fieldNumber = Math.floor(key / 8);
    const wireType = key & 7;
    if (fieldNumber === 0) throw new ProtoFormatError('field number 0');
    switch (wireType) {
      case WireType.varint: {
        const [v, next] = readVarint(buf, pos);
        pos = next;
        yield { fieldNumber, wireType, varint: v, bytes: empty, raw: buf.subarray(start, pos) };
        break;
      }
      case WireType.fixed64:
        pos += 8;
        if (pos > buf.length) throw new ProtoFormatError('truncated field');
        yield { fieldNumber, wireType, varint: 0, bytes: empty, raw: buf.subarray(start, pos) };
        break;
      case WireType.lengthDelimited: {
        const [len, next] = readVarint(buf, pos);
        if (len < 0 || next + len > buf.length) throw new ProtoFormatError('length-delimited field overruns the message');
        pos = next + len;
        yield { fieldNumber, wireType, varint: 0, bytes: buf.subarray(next, pos), raw: buf.subarray(start, pos) };
        break;
      }
      case WireType.fixed32:
        pos += 4;
        if (pos > buf.length) throw new ProtoFormatError('truncated field');
        yield { fieldNumber, wireType, varint: 0, bytes: empty, raw: buf.subarray(start, pos) };
        break;
      default:
        throw new ProtoFormatError(`unsupported wire type ${wireType}`);
    }
  }
}

const utf8 = new TextDecoder('utf-8');

export function protoString(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
