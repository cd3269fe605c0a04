/**
 * The captured audio on its way to the engine: blocks from the audio thread, gathered into chunks of a
 * fixed length, as 16-bit little-endian PCM in base64 (what `liveAudio` carries), and their level.
 */
import { toPcm16 } from '@shared/pcm16';

/** Audio per chunk sent to the engine: short enough for partials to keep up, long enough to keep the requests few. */
export const CHUNK_S = 0.1;

/** Gathers blocks of any length into chunks of `chunkSamples`; nothing is dropped or repeated. */
export class PcmChunker {
  private pending = new Float32Array(0);

  constructor(readonly chunkSamples: number) {
    if (!Number.isInteger(chunkSamples) || chunkSamples <= 0) throw new Error(`a chunk must hold a whole, positive number of samples, not ${chunkSamples}`);
  }

  /** The chunks the block completes, in order. */
  push(block: Float32Array): Int16Array[] {
    const joined = new Float32Array(this.pending.length + block.length);
    joined.set(this.pending);
    joined.set(block, this.pending.length);
    const chunks: Int16Array[] = [];
    let at = 0;
    for (; at + this.chunkSamples <= joined.length; at += this.chunkSamples) chunks.push(toPcm16(joined.subarray(at, at + this.chunkSamples)));
    this.pending = joined.slice(at);
    return chunks;
  }

  /** What is left when the microphone stops: a short last chunk, or null. */
  flush(): Int16Array | null {
    const rest = this.pending.length > 0 ? toPcm16(this.pending) : null;
    this.pending = new Float32Array(0);
    return rest;
  }
}

/** 16-bit samples as little-endian bytes in base64. */
export function pcm16ToBase64(samples: Int16Array): string {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  samples.forEach((s, i) => view.setInt16(i * 2, s, true));
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/** The quietest level the meter shows (dBFS). */
export const LEVEL_FLOOR_DB = -90;

/** Root-mean-square level of a block in dB relative to full scale, floored. */
export function levelDb(block: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < block.length; i++) sum += block[i] * block[i];
  const rms = block.length > 0 ? Math.sqrt(sum / block.length) : 0;
  return rms > 0 ? Math.max(LEVEL_FLOOR_DB, 20 * Math.log10(rms)) : LEVEL_FLOOR_DB;
}
