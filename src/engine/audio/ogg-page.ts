/**
 * One Ogg page (RFC 3533 §6): a 27-byte header, a segment table of lacing values, then the
 * body. A packet is a run of segments ending in one shorter than 255 bytes; a page whose last
 * lacing value is 255 leaves its last packet to be continued on the next page.
 */
export interface OggPage {
  /** The page's first segment continues a packet from the previous page. */
  continued: boolean;
  /** First page of a logical stream. */
  bos: boolean;
  /** Last page of a logical stream. */
  eos: boolean;
  /** The codec's position after the last packet that ends on this page; −1 when none ends here. */
  granule: number;
  serial: number;
  sequence: number;
  segments: Uint8Array;
  body: Uint8Array;
}

/** What `readOggPage` found at a position. */
export type PageRead =
  | { kind: 'page'; page: OggPage; size: number }
  /** The bytes end before the page does. */
  | { kind: 'partial' }
  /** No capture pattern here, an unknown page version, or a checksum that does not match. */
  | { kind: 'not-a-page'; why: 'no capture pattern' | 'version' | 'checksum' };

const HEADER_BYTES = 27;

/** Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial value 0, no final xor. */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let b = 0; b < 8; b++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** The checksum of a whole page, its own checksum field (bytes 22–25) counted as zeros. */
export function oggPageCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : page[i];
    crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff];
  }
  return crc >>> 0;
}

/** The signed 64-bit little-endian granule position at `at` as a number (−1 stays −1). */
export function readGranule(bytes: Uint8Array, at: number): number {
  const lo = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  const hi = bytes[at + 4] | (bytes[at + 5] << 8) | (bytes[at + 6] << 16) | (bytes[at + 7] << 24);
  return hi * 2 ** 32 + lo;
}

export function isCapturePattern(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === 0x4f && bytes[at + 1] === 0x67 && bytes[at + 2] === 0x67 && bytes[at + 3] === 0x53;
}

const u32le = (b: Uint8Array, at: number): number => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/** Reads the page starting at `at`, checking its version and checksum. */
export function readOggPage(bytes: Uint8Array, at: number): PageRead {
  if (bytes.length - at < HEADER_BYTES) return bytes.length - at < 4 || isCapturePattern(bytes, at) ? { kind: 'partial' } : { kind: 'not-a-page', why: 'no capture pattern' };
  if (!isCapturePattern(bytes, at)) return { kind: 'not-a-page', why: 'no capture pattern' };
  if (bytes[at + 4] !== 0) return { kind: 'not-a-page', why: 'version' };
  const count = bytes[at + 26];
  const bodyAt = at + HEADER_BYTES + count;
  if (bodyAt > bytes.length) return { kind: 'partial' };
  const segments = bytes.subarray(at + HEADER_BYTES, bodyAt);
  let bodySize = 0;
  for (let i = 0; i < count; i++) bodySize += segments[i];
  const size = HEADER_BYTES + count + bodySize;
  if (at + size > bytes.length) return { kind: 'partial' };
  if (oggPageCrc(bytes.subarray(at, at + size)) !== u32le(bytes, at + 22)) return { kind: 'not-a-page', why: 'checksum' };
  const flags = bytes[at + 5];
  return {
    kind: 'page',
    size,
    page: {
      continued: (flags & 1) !== 0,
      bos: (flags & 2) !== 0,
      eos: (flags & 4) !== 0,
      granule: readGranule(bytes, at + 6),
      serial: u32le(bytes, at + 14),
      sequence: u32le(bytes, at + 18),
      segments,
      body: bytes.subarray(bodyAt, bodyAt + bodySize),
    },
  };
}
