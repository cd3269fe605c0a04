/** The writing half of protobuf-reader.ts: keys, varints and length-delimited fields. */
import { WireType } from './protobuf-reader';

/** A non-negative integer as a base-128 varint. */
export function varintBytes(n: number): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n));
  do {
    let byte = Number(v & 127n);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

export function varintField(fieldNumber: number, n: number): Uint8Array {
  return Uint8Array.from([...varintBytes(fieldNumber * 8 + WireType.varint), ...varintBytes(n)]);
}

/** A length-delimited field around `parts`, which are copied once into the result. */
export function lengthDelimitedField(fieldNumber: number, parts: readonly Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  return concatBytes([Uint8Array.from([...varintBytes(fieldNumber * 8 + WireType.lengthDelimited), ...varintBytes(length)]), ...parts]);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
