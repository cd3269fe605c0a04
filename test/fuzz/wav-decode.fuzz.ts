/**
 * Fuzzes the whole WAV decode path the recogniser uses: a file on disk through the header
 * parser, the sample reader (every PCM and float layout, NaN and Inf included), the downmix
 * and the resampler to 16 kHz from any rate the limits allow (up to 768 kHz, above
 * libsamplerate's own 192 kHz). Files are valid, damaged (bytes and length fields
 * overwritten, the file cut short) or random bytes behind a RIFF/WAVE signature. Each must
 * decode to finite samples in [−1, 1] of the length its header and the file agree on, with
 * every repair reported, or fail with an AudioError naming the file; anything else (a
 * RangeError, a string thrown by the resampler, a hang) fails.
 *
 *   npx tsx test/fuzz/wav-decode.fuzz.ts [runs=10000] [seed]
 *
 * The unit tests run a smaller count through runWavDecodeFuzz.
 */
import fc from 'fast-check';
import { damagedWav, randomAfterSignature } from './damaged-wav';
import { runAsScript } from './fuzz-script';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioError } from '../../src/engine/audio/audio-error';
import { decodeAudioFile } from '../../src/engine/audio/decode-audio';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../../src/engine/audio/limits';
import { makeWav } from '../unit/audio/make-wav';

const TARGET_RATE = 16000;

const layout = fc.constantFrom(
  { sampleFormat: 'pcm' as const, bitsPerSample: 8 },
  { sampleFormat: 'pcm' as const, bitsPerSample: 16 },
  { sampleFormat: 'pcm' as const, bitsPerSample: 24 },
  { sampleFormat: 'pcm' as const, bitsPerSample: 32 },
  { sampleFormat: 'float' as const, bitsPerSample: 32 },
  { sampleFormat: 'float' as const, bitsPerSample: 64 },
);

const sample = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -1, max: 1, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 4, -4) },
);

const rate = fc.oneof(
  fc.constantFrom(MIN_SAMPLE_RATE, 8000, 16000, 22050, 44100, 48000, 96000, 192_000, 192_001, 384_000, MAX_SAMPLE_RATE),
  fc.integer({ min: MIN_SAMPLE_RATE, max: MAX_SAMPLE_RATE }),
  fc.integer({ min: 0, max: 0xffffffff }),
);

const validWav = fc
  .record({ layout, rate, channels: fc.integer({ min: 1, max: 4 }), frames: fc.integer({ min: 0, max: 600 }), extensible: fc.boolean(), seed: fc.array(sample, { minLength: 1, maxLength: 16 }) })
  .map((s) =>
    makeWav({
      ...s.layout,
      sampleRate: s.rate,
      extensible: s.extensible,
      channels: Array.from({ length: s.channels }, (_, c) => Array.from({ length: s.frames }, (_, i) => s.seed[(i + c) % s.seed.length])),
    }),
  );

/** Damage: overwrite bytes, overwrite 32-bit fields with extreme values, cut the file. */
const damaged = damagedWav(validWav);

const anyInput = fc.oneof(validWav, damaged, randomAfterSignature(400), fc.uint8Array({ maxLength: 64 }));

async function check(path: string, bytes: Uint8Array): Promise<void> {
  writeFileSync(path, bytes);
  let audio;
  try {
    audio = await decodeAudioFile(path, { targetRate: TARGET_RATE });
  } catch (error) {
    if (error instanceof AudioError && error.message.includes(path)) return;
    throw new Error(`not an AudioError naming the file: ${error instanceof Error ? `${error.name}: ${error.message}` : `thrown ${typeof error} ${String(error)}`}`);
  }
  const problems: string[] = [];
  if (audio.sampleRate !== TARGET_RATE) problems.push(`rate ${audio.sampleRate}`);
  if (audio.sourceRate < MIN_SAMPLE_RATE || audio.sourceRate > MAX_SAMPLE_RATE) problems.push(`source rate ${audio.sourceRate} outside the limits`);
  const frames = Math.round(audio.durationS * audio.sourceRate);
  const expected = audio.sourceRate === TARGET_RATE ? frames : (frames * TARGET_RATE) / audio.sourceRate;
  if (Math.abs(audio.samples.length - expected) > 1) problems.push(`${audio.samples.length} samples for ${frames} frames at ${audio.sourceRate} Hz`);
  const bad = audio.samples.findIndex((v) => !Number.isFinite(v) || v < -1 || v > 1);
  if (bad >= 0) problems.push(`sample ${bad} is ${audio.samples[bad]}`);
  if (!audio.warnings.every((w) => typeof w === 'string' && w.length > 0)) problems.push('an empty repair note');
  if (problems.length > 0) throw new Error(`${problems.join('; ')} (a ${bytes.length}-byte file)`);
}

export async function runWavDecodeFuzz(numRuns: number, seed?: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-wav-fuzz-'));
  const path = join(dir, 'case.wav');
  try {
    await fc.assert(
      fc.asyncProperty(anyInput, (bytes) => check(path, bytes)),
      { numRuns, seed },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runAsScript(import.meta.url, 'wav decode path', runWavDecodeFuzz);
