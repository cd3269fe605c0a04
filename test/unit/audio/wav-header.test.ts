import { describe, expect, it } from 'vitest';
import { FormatProblem } from '../../../src/engine/audio/audio-error';
import { bufferSource } from '../../../src/engine/audio/byte-source';
import { parseWavHeader, wavFormatName } from '../../../src/engine/audio/wav-header';
import { runWavHeaderFuzz } from '../../fuzz/wav-header.fuzz';
import { makeWav, tone } from './make-wav';

const parse = (bytes: Uint8Array) => parseWavHeader(bufferSource(bytes));
const second = tone(440, 16000, 0.1);

function problem(bytes: Uint8Array): FormatProblem {
  try {
    parse(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(FormatProblem);
    return error as FormatProblem;
  }
  throw new Error('expected a FormatProblem');
}

describe('parseWavHeader', () => {
  it.each([
    ['pcm', 8],
    ['pcm', 16],
    ['pcm', 24],
    ['pcm', 32],
    ['float', 32],
    ['float', 64],
  ] as const)('reads %s %i-bit headers', (sampleFormat, bitsPerSample) => {
    const h = parse(makeWav({ sampleFormat, bitsPerSample, sampleRate: 22050, channels: [second, second] }));
    expect(h).toMatchObject({ sampleFormat, bitsPerSample, sampleRate: 22050, channels: 2, frames: second.length, dataOffset: 44, warnings: [] });
    expect(h.blockAlign).toBe((2 * bitsPerSample) / 8);
    expect(wavFormatName(h)).toBe(`wav/${sampleFormat}${bitsPerSample}`);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE headers by their sub-format', () => {
    const h = parse(makeWav({ extensible: true, sampleFormat: 'float', bitsPerSample: 32, sampleRate: 48000, channels: Array(6).fill(second) }));
    expect(h).toMatchObject({ sampleFormat: 'float', bitsPerSample: 32, channels: 6, sampleRate: 48000, frames: second.length });
  });

  it('skips other chunks, with or without the pad byte after an odd size', () => {
    const odd = new Uint8Array(7).fill(65);
    const padded = parse(makeWav({ channels: [second], extraChunks: [{ id: 'LIST', body: odd }] }));
    expect(padded).toMatchObject({ dataOffset: 44 + 16, frames: second.length, warnings: [] });
    const unpadded = parse(makeWav({ channels: [second], extraChunks: [{ id: 'LIST', body: odd, padded: false }] }));
    expect(unpadded).toMatchObject({ dataOffset: 44 + 15, frames: second.length });
    expect(unpadded.warnings.join()).toMatch(/no pad byte/);
  });

  it('cuts a data length that runs past the end of the file to what is there', () => {
    const h = parse(makeWav({ channels: [second], dataSize: 10_000_000 }));
    expect(h.frames).toBe(second.length);
    expect(h.warnings.join()).toMatch(/header claims 10.0 MB of audio \(.* s\), the file holds 3200 bytes \(0.10 s\)/);
  });

  it.each([0, 0xffffffff])('reads to the end of the file when the data length is the placeholder %i', (dataSize) => {
    expect(parse(makeWav({ channels: [second], dataSize })).frames).toBe(second.length);
  });

  it('drops a partial frame at the end of truncated data', () => {
    const bytes = makeWav({ channels: [second, second] }).subarray(0, 44 + 401);
    const h = parse(bytes);
    expect(h.frames).toBe(100);
    expect(h.dataBytes).toBe(400);
    expect(h.warnings.join()).toMatch(/partial frame/);
  });

  it('corrects a block align that disagrees with the sample layout', () => {
    const h = parse(makeWav({ channels: [second], blockAlign: 7 }));
    expect(h.blockAlign).toBe(2);
    expect(h.warnings.join()).toMatch(/block align 7 corrected to 2/);
  });

  it.each([
    ['an empty file', new Uint8Array(0), 'empty', /empty/],
    ['a truncated RIFF header', makeWav({ channels: [second] }).subarray(0, 6), 'truncated', /too short/],
    ['a header cut inside the fmt chunk', makeWav({ channels: [second] }).subarray(0, 30), 'truncated', /"fmt " chunk runs past the end/],
    ['a header cut before the data chunk', makeWav({ channels: [second] }).subarray(0, 36), 'truncated', /no "data" chunk/],
    ['a text file', new TextEncoder().encode('hello, this is not a wav file at all'), 'not-audio', /not a WAV file/],
    ['A-law', makeWav({ channels: [second], formatTag: 6, bitsPerSample: 8 }), 'unsupported-codec', /A-law/],
    ['MP3 in WAV', makeWav({ channels: [second], formatTag: 0x55 }), 'unsupported-codec', /MP3/],
    ['12-bit PCM', makeWav({ channels: [second], bitsPerSample: 16, formatTag: 1 }).map((b, i) => (i === 34 ? 12 : b)), 'unsupported-codec', /12-bit/],
    ['a sample rate of 0', makeWav({ channels: [second], sampleRate: 0 }), 'bad-sample-rate', /0 Hz/],
    ['an absurd sample rate', makeWav({ channels: [second], sampleRate: 4_000_000_000 }), 'bad-sample-rate', /outside the supported/],
    ['a channel count of 0', makeWav({ channels: [second], channelCount: 0 }), 'bad-channels', /channel count 0/],
    ['big-endian RIFX', new Uint8Array([...new TextEncoder().encode('RIFX\0\0\0\0WAVE'), 0, 0, 0, 0]), 'unsupported-codec', /RIFX/],
  ])('refuses %s with a clear problem', (_label, bytes, code, message) => {
    const p = problem(bytes);
    expect(p.code).toBe(code);
    expect(p.message).toMatch(message);
  });

  it('survives 500 fuzzed headers (npm run fuzz runs 10,000)', () => {
    runWavHeaderFuzz(500, 1);
  });
});
