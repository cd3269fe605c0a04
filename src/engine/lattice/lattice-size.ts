/** What a lattice costs to send: its HTK SLF text, plain and gzipped (level 9, as a sender would). */
import { gzipSync } from 'node:zlib';

export function latticeSizes(slf: string): { latticeBytes: number; latticeGzBytes: number } {
  const bytes = Buffer.from(slf, 'utf8');
  return { latticeBytes: bytes.length, latticeGzBytes: gzipSync(bytes, { level: 9 }).length };
}
