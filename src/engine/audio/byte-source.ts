import { readSync } from 'node:fs';

/**
 * Random access to a file's bytes, synchronous so that the WAV header parser stays a plain
 * function of its input (and can be fuzzed on in-memory buffers). `read` returns fewer bytes
 * than asked for at the end of the file, never more.
 */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
}

export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length)),
  };
}

/** Reads from an open file descriptor; the caller owns (and closes) `fd`. */
export function fileSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(offset, length) {
      const wanted = Math.max(0, Math.min(length, size - offset));
      const out = new Uint8Array(wanted);
      let got = 0;
      while (got < wanted) {
        const n = readSync(fd, out, got, wanted - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      return out.subarray(0, got);
    },
  };
}
