/**
 * Fuzzes the WAV header parser: valid headers of every layout, then damaged (bytes overwritten,
 * lengths replaced, the file cut short), and plain random bytes behind a RIFF/WAVE signature.
 * Each must give either a header that is consistent with the file, or a FormatProblem; anything
 * else (a RangeError, a header pointing outside the file, a hang) fails.
 *
 *   npx tsx test/fuzz/wav-header.fuzz.ts [runs=10000] [seed]
 *
 * The unit tests run a smaller count through runWavHeaderFuzz.
 */
import fc from 'fast-check';
import { damagedWav, randomAfterSignature } from './damaged-wav';
import { runAsScript } from './fuzz-script';
import { FormatProblem } from '../../src/engine/audio/audio-error';
import { bufferSource } from '../../src/engine/audio/byte-source';
import { MAX_CHANNELS, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../../src/engine/audio/limits';
import { parseWavHeader } from '../../src/engine/audio/wav-header';
import { makeWav } from '../unit/audio/make-wav';

const layout = fc.constantFrom(
  { sampleFormat: 'pcm' as const, bitsPerSample: 8 },
  { sampleFormat: 'pcm' as const, bitsPerSample: 16 },
  { sampleFormat: 'pcm' as const, bitsPerSample: 24 },
  { sampleFormat: 'pcm' as const, bitsPerSample: 32 },
  { sampleFormat: 'float' as const, bitsPerSample: 32 },
  { sampleFormat: 'float' as const, bitsPerSample: 64 },
);

const validWav = fc
  .record({
    layout,
    channels: fc.integer({ min: 1, max: 8 }),
    frames: fc.integer({ min: 0, max: 40 }),
    sampleRate: fc.oneof(fc.constantFrom(0, 1, 8000, 16000, 44100, 48000, 96000, 768001), fc.integer({ min: 0, max: 0xffffffff })),
    extensible: fc.boolean(),
    extra: fc.array(fc.record({ id: fc.constantFrom('LIST', 'JUNK', 'bext', 'fact', 'cue '), size: fc.integer({ min: 0, max: 9 }), padded: fc.boolean() }), { maxLength: 3 }),
  })
  .map((s) =>
    makeWav({
      ...s.layout,
      sampleRate: s.sampleRate,
      extensible: s.extensible,
      channels: Array.from({ length: s.channels }, () => new Float64Array(s.frames).fill(0.25)),
      extraChunks: s.extra.map((c) => ({ id: c.id, body: new Uint8Array(c.size).fill(0x41), padded: c.padded })),
    }),
  );

/** Damage: overwrite bytes, overwrite 32-bit fields with extreme values, cut the file. */
const damaged = damagedWav(validWav);

const anyInput = fc.oneof(validWav, damaged, randomAfterSignature(200), fc.uint8Array({ maxLength: 64 }));

function check(bytes: Uint8Array): void {
  let h;
  try {
    h = parseWavHeader(bufferSource(bytes));
  } catch (error) {
    if (error instanceof FormatProblem) return;
    throw error;
  }
  const ok =
    h.dataOffset >= 20 &&
    h.dataOffset + h.dataBytes <= bytes.length &&
    h.dataBytes === h.frames * h.blockAlign &&
    h.blockAlign === (h.channels * h.bitsPerSample) / 8 &&
    h.channels >= 1 &&
    h.channels <= MAX_CHANNELS &&
    h.sampleRate >= MIN_SAMPLE_RATE &&
    h.sampleRate <= MAX_SAMPLE_RATE &&
    (h.sampleFormat === 'pcm' ? [8, 16, 24, 32] : [32, 64]).includes(h.bitsPerSample);
  if (!ok) throw new Error(`inconsistent header ${JSON.stringify(h)} for a ${bytes.length}-byte file`);
}

export function runWavHeaderFuzz(numRuns: number, seed?: number): void {
  fc.assert(fc.property(anyInput, check), { numRuns, seed });
}

await runAsScript(import.meta.url, 'wav header', runWavHeaderFuzz);
