import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FbankOptions } from '../../../src/engine/features/fbank-options';

/** The torchaudio goldens written by scripts/make-fbank-goldens.py. */
export const GOLDEN_DIR = join(__dirname, '../../fixtures/fbank');

export interface GoldenCase {
  signal: string;
  config: string;
  reference: 'float32' | 'float64';
  float32Error: number;
  samples: number;
  frames: number;
  dim: number;
  options: Partial<FbankOptions>;
}

export function goldenCases(): GoldenCase[] {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, 'index.json'), 'utf8')).cases;
}

function bytesOf(file: string): Uint8Array {
  const buf = readFileSync(join(GOLDEN_DIR, file));
  // Copy into a fresh, aligned ArrayBuffer for the typed-array views.
  return new Uint8Array(buf);
}

/** The signal exactly as torchaudio saw it: int16 / 32768. */
export function goldenSignal(name: string): Float32Array {
  const pcm = new Int16Array(bytesOf(`${name}.s16`).buffer);
  return Float32Array.from(pcm, (v) => v / 32768);
}

export function goldenFeatures(c: GoldenCase): Float32Array {
  return new Float32Array(bytesOf(`${c.signal}.${c.config}.f32`).buffer);
}
