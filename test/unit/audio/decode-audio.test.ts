import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import { probeAudioFile } from '../../../src/engine/audio/probe';
import { audioError } from './expect-audio-error';
import { makeWav, rms, tone, toneLevel } from './make-wav';

const dir = mkdtempSync(join(tmpdir(), 'earshot-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURES = join(__dirname, '../../fixtures/audio');
const CLIPS = join(__dirname, '../../../bench/data/clips');

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('decodeAudioFile: WAV', () => {
  const signal = tone(440, 16000, 0.5, 0.5);

  it.each([
    ['pcm', 8, 1 / 64],
    ['pcm', 16, 1e-4],
    ['pcm', 24, 1e-6],
    ['pcm', 32, 1e-6],
    ['float', 32, 1e-7],
    ['float', 64, 1e-7],
  ] as const)('decodes %s %i-bit samples to the same waveform', async (sampleFormat, bitsPerSample, tolerance) => {
    const path = file(`t-${sampleFormat}${bitsPerSample}.wav`, makeWav({ sampleFormat, bitsPerSample, channels: [signal] }));
    const d = await decodeAudioFile(path);
    expect(d).toMatchObject({ sampleRate: 16000, sourceRate: 16000, channels: 1, format: `wav/${sampleFormat}${bitsPerSample}` });
    expect(d.durationS).toBeCloseTo(0.5, 9);
    expect(d.samples.length).toBe(signal.length);
    d.samples.forEach((v, i) => expect(Math.abs(v - signal[i])).toBeLessThanOrEqual(tolerance));
  });

  it('decodes WAVE_FORMAT_EXTENSIBLE 24-bit', async () => {
    const path = file('ext24.wav', makeWav({ extensible: true, bitsPerSample: 24, channels: [signal] }));
    const d = await decodeAudioFile(path);
    expect(d.format).toBe('wav/pcm24');
    expect(Math.abs(d.samples[100] - signal[100])).toBeLessThan(1e-6);
  });

  it('mixes channels down by averaging, or keeps the one asked for', async () => {
    const left = tone(440, 16000, 0.2, 0.4);
    const right = tone(1000, 16000, 0.2, 0.2);
    const path = file('stereo.wav', makeWav({ bitsPerSample: 32, sampleFormat: 'float', channels: [left, right] }));
    const mix = await decodeAudioFile(path);
    expect(mix.samples[37]).toBeCloseTo((left[37] + right[37]) / 2, 6);
    const second = await decodeAudioFile(path, { channel: 1 });
    expect(second.samples[37]).toBeCloseTo(right[37], 6);
    const e = await audioError(decodeAudioFile(path, { channel: 2 }));
    expect(e.code).toBe('bad-option');
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/channel 2 does not exist \(the file has 2\)/);
  });

  it('reads an 8-channel file: any channel, or all mixed', async () => {
    const channels = Array.from({ length: 8 }, (_, c) => new Float64Array(1600).fill((c - 3.5) / 8));
    const path = file('eight.wav', makeWav({ sampleFormat: 'float', bitsPerSample: 32, channels }));
    const d = await decodeAudioFile(path, { channel: 7 });
    expect(d.channels).toBe(8);
    expect(d.samples[10]).toBeCloseTo(3.5 / 8, 6);
    expect((await decodeAudioFile(path)).samples[10]).toBeCloseTo(0, 6);
  });

  it('replaces NaN and Inf float samples by silence, clamps overs, and says so', async () => {
    const samples = [0.5, NaN, Infinity, -Infinity, 1.5, -0.25];
    const path = file('nan.wav', makeWav({ sampleFormat: 'float', bitsPerSample: 32, channels: [samples] }));
    const d = await decodeAudioFile(path);
    expect(Array.from(d.samples)).toEqual([0.5, 0, 0, 0, 1, -0.25]);
    expect(d.warnings.join()).toMatch(/3 NaN\/Inf samples were replaced by silence/);
  });

  it('decodes the samples that exist when the header lies about the data length', async () => {
    const path = file('liar.wav', makeWav({ channels: [signal], dataSize: 1 << 30 }));
    const d = await decodeAudioFile(path);
    expect(d.samples.length).toBe(signal.length);
    expect(d.warnings.join()).toMatch(/header claims .* of audio \(.* s\), the file holds .* \(.* s\)/);
  });
});

describe('decodeAudioFile: resampling', () => {
  it.each([44100, 48000, 8000, 22050])('resamples %i Hz to 16 kHz, keeping a 1 kHz tone and the length', async (rate) => {
    const path = file(`r${rate}.wav`, makeWav({ sampleFormat: 'float', bitsPerSample: 32, sampleRate: rate, channels: [tone(1000, rate, 1, 0.5)] }));
    const d = await decodeAudioFile(path);
    expect(d).toMatchObject({ sampleRate: 16000, sourceRate: rate });
    expect(d.samples.length).toBe(16000);
    const middle = d.samples.subarray(1000, 15000);
    expect(toneLevel(middle, 1000, 16000)).toBeCloseTo(0.5, 2);
    expect(rms(middle)).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it('rejects a tone above 8 kHz instead of aliasing it', async () => {
    const path = file('high.wav', makeWav({ sampleFormat: 'float', bitsPerSample: 32, sampleRate: 48000, channels: [tone(10000, 48000, 1, 0.5)] }));
    const d = await decodeAudioFile(path);
    const middle = d.samples.subarray(1000, 15000);
    // Aliasing would fold 10 kHz onto 6 kHz at 16 kHz; what is left must be 60 dB down or more.
    expect(toneLevel(middle, 6000, 16000)).toBeLessThan(0.5e-3);
    expect(rms(middle)).toBeLessThan(0.5e-3);
  });

  it('decodes to another target rate when asked, and refuses nonsense rates', async () => {
    const path = file('t8k.wav', makeWav({ channels: [tone(440, 16000, 0.5)] }));
    expect((await decodeAudioFile(path, { targetRate: 8000 })).samples.length).toBe(4000);
    expect((await audioError(decodeAudioFile(path, { targetRate: 0 }))).code).toBe('bad-option');
  });
});

describe('decodeAudioFile: compressed formats', () => {
  it.each([
    ['tone-44k1-stereo.flac', 'flac', 44100],
    ['tone-44k1-stereo.mp3', 'mp3', 24000],
    ['tone-44k1-stereo.ogg', 'ogg/vorbis', 44100],
    ['tone-stereo.opus', 'ogg/opus', 48000],
  ])('decodes %s (440 Hz left, 880 Hz right)', async (name, format, sourceRate) => {
    const path = join(FIXTURES, name);
    const left = await decodeAudioFile(path, { channel: 0 });
    expect(left).toMatchObject({ format, sourceRate, channels: 2, sampleRate: 16000 });
    expect(left.durationS).toBeGreaterThan(0.95);
    expect(left.durationS).toBeLessThan(1.1);
    const body = left.samples.subarray(2000, 14000);
    expect(toneLevel(body, 440, 16000)).toBeGreaterThan(0.3);
    expect(toneLevel(body, 880, 16000)).toBeLessThan(0.05);
    const right = (await decodeAudioFile(path, { channel: 1 })).samples.subarray(2000, 14000);
    expect(toneLevel(right, 880, 16000)).toBeGreaterThan(0.3);
  });

  it.each([
    ['call-anna-0.0.mp3', 1],
    ['call-anna-0.0.opus', 1],
    ['call-anna-0.0.flac', 1],
    ['tone-3ch.opus', 3],
    ['tone-44k1-stereo.mp3', 2],
  ])('gives %s the channels its header says, as the probe does, in an array of its own', async (name, channels) => {
    const path = join(name.startsWith('call') ? CLIPS : FIXTURES, name);
    const { samples, channels: decoded } = await decodeAudioFile(path);
    expect(decoded).toBe(channels);
    expect((await probeAudioFile(path)).channels).toBe(channels);
    // The whole buffer is the result's (callers transfer it to workers).
    expect([samples.byteOffset, samples.buffer.byteLength]).toEqual([0, samples.length * 4]);
  });

  it('gives a mono MP3 behind a 200 KiB ID3 tag (cover art) one channel too', async () => {
    const { readFileSync } = await import('node:fs');
    const clip = join(CLIPS, 'call-anna-0.0.mp3');
    const body = 200 * 1024;
    // ID3v2.4 header, its size in four 7-bit bytes, then padding as the tag's content.
    const tag = new Uint8Array(10 + body);
    tag.set([0x49, 0x44, 0x33, 4, 0, 0, (body >> 21) & 0x7f, (body >> 14) & 0x7f, (body >> 7) & 0x7f, body & 0x7f]);
    const tagged = await decodeAudioFile(file('tagged-mono.mp3', new Uint8Array([...tag, ...readFileSync(clip)])));
    expect(tagged.channels).toBe(1);
    expect(tagged.samples).toEqual((await decodeAudioFile(clip)).samples);
  });

  it('decodes what is there of a truncated FLAC file', async () => {
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(join(FIXTURES, 'tone-44k1-stereo.flac'));
    const d = await decodeAudioFile(file('cut.flac', bytes.subarray(0, bytes.length >> 1)));
    expect(d.durationS).toBeGreaterThan(0.2);
    expect(d.durationS).toBeLessThan(0.9);
  });
});

describe('decodeAudioFile: bad input', () => {
  const garbage = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) & 0xff);
  it.each([
    ['an empty file', 'empty.wav', new Uint8Array(0), 'empty', /file is empty/],
    ['a truncated header', 'cut.wav', makeWav({ channels: [tone(440, 16000, 0.1)] }).subarray(0, 30), 'truncated', /truncated/],
    ['an unsupported codec', 'alaw.wav', makeWav({ channels: [tone(440, 8000, 0.1)], formatTag: 6, bitsPerSample: 8 }), 'unsupported-codec', /A-law/],
    ['an unsupported container', 'song.m4a', new Uint8Array([0, 0, 0, 32, ...new TextEncoder().encode('ftypM4A '), ...new Uint8Array(64)]), 'unsupported-codec', /MP4/],
    ['a text file', 'notes.wav', 'these are my meeting notes, not audio', 'not-audio', /not an audio file/],
    ['random bytes', 'noise.mp3', garbage, 'not-audio', /not an audio file/],
    ['FLAC magic followed by garbage', 'bad.flac', new Uint8Array([...new TextEncoder().encode('fLaC'), ...garbage]), 'decode-failed', /no audio could be decoded/],
    ['an ID3 tag followed by garbage', 'tagged.mp3', new Uint8Array([...new TextEncoder().encode('ID3'), 4, 0, 0, 0, 0, 0, 0, ...garbage]), 'decode-failed', /no audio could be decoded/],
    ['an Ogg page holding an unknown codec', 'odd.ogg', new Uint8Array([...new TextEncoder().encode('OggS'), 0, 2, ...new Uint8Array(20), 1, 30, ...garbage]), 'unsupported-codec', /unknown codec/],
    ['a sample rate of 0', 'rate0.wav', makeWav({ channels: [tone(440, 16000, 0.1)], sampleRate: 0 }), 'bad-sample-rate', /sample rate 0 Hz/],
    ['an absurd sample rate', 'rate-huge.wav', makeWav({ channels: [tone(440, 16000, 0.1)], sampleRate: 3_000_000_000 }), 'bad-sample-rate', /outside the supported/],
  ] as const)('refuses %s with an error naming the file and the problem', async (_label, name, bytes, code, message) => {
    const path = file(name, bytes);
    const e = await audioError(decodeAudioFile(path));
    expect(e.code).toBe(code);
    expect(e.path).toBe(path);
    expect(e.message.startsWith(`${path}: `)).toBe(true);
    expect(e.message).toMatch(message);
  });

  it('says when the file does not exist', async () => {
    const e = await audioError(decodeAudioFile(join(dir, 'missing.wav')));
    expect(e).toMatchObject({ code: 'io' });
    expect(e.message).toMatch(/missing\.wav: cannot open: ENOENT/);
  });
});
