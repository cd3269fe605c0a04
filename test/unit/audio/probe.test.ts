import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AudioError } from '../../../src/engine/audio/audio-error';
import { probeAudioFile } from '../../../src/engine/audio/probe';
import { makeWav, sparseWav, tone } from './make-wav';

const dir = mkdtempSync(join(tmpdir(), 'earshot-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURES = join(__dirname, '../../fixtures/audio');

describe('probeAudioFile', () => {
  it('reads a WAV header', async () => {
    const path = join(dir, 'a.wav');
    writeFileSync(path, makeWav({ bitsPerSample: 24, sampleRate: 44100, channels: [tone(1, 44100, 0.5), tone(1, 44100, 0.5)] }));
    expect(await probeAudioFile(path)).toEqual({
      path,
      name: 'a.wav',
      format: 'wav/pcm24',
      sampleRate: 44100,
      channels: 2,
      bitsPerSample: 24,
      durationS: 0.5,
      sizeBytes: 44 + 44100 * 3,
    });
  });

  it.each([
    ['tone-44k1-stereo.flac', 'flac', 44100, 1],
    ['tone-44k1-stereo.ogg', 'ogg/vorbis', 44100, 1],
    ['tone-stereo.opus', 'ogg/opus', 48000, 1],
    // LAME's Info frame counts the encoder delay and padding: 44 frames of 576 samples.
    ['tone-44k1-stereo.mp3', 'mp3', 24000, 1.056],
  ])('reads %s from its headers', async (name, format, sampleRate, durationS) => {
    const info = await probeAudioFile(join(FIXTURES, name));
    expect(info).toMatchObject({ name, format, sampleRate, channels: 2 });
    expect(info.durationS).toBeCloseTo(durationS, 3);
  });

  it('is quick for a 3-hour recording: it reads the header only', async () => {
    const path = join(dir, 'three-hours.wav');
    sparseWav(path, 3 * 3600, 16000, 16);
    const t0 = performance.now();
    const info = await probeAudioFile(path);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(info.durationS).toBe(10800);
  });

  it('names the file and the problem for a bad file', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'not audio');
    await expect(probeAudioFile(path)).rejects.toThrow(AudioError);
    await expect(probeAudioFile(path)).rejects.toThrow(`${path}: not an audio file`);
    await expect(probeAudioFile(join(dir, 'nope.wav'))).rejects.toThrow(/nope\.wav: cannot open: ENOENT/);
  });
});
