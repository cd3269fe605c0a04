import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AudioError } from '../../../src/engine/audio/audio-error';
import { decodeAudioFile } from '../../../src/engine/audio/decode-audio';
import { computePeaks, peaksAt } from '../../../src/engine/audio/peaks';
import { finestSamplesPerPeak, getPeaks, peaksCacheKey } from '../../../src/engine/audio/peaks-cache';
import { probeAudioFile } from '../../../src/engine/audio/probe';
import { makeWav, sparseWav } from './make-wav';

const dir = mkdtempSync(join(tmpdir(), 'earshot-peaks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 1000 frames: a ramp from −1 to 1 on the left, its negation on the right. */
const ramp = Float64Array.from({ length: 1000 }, (_, i) => -1 + (2 * i) / 999);
const rampPath = join(dir, 'ramp.wav');
writeFileSync(rampPath, makeWav({ sampleFormat: 'float', bitsPerSample: 32, channels: [ramp, ramp.map((v) => -v)] }));

describe('computePeaks', () => {
  it('keeps the min and max of every bucket, per channel, in one pass', async () => {
    const p = await computePeaks(rampPath, { samplesPerPeak: 100, coarsestPeaks: 2 });
    expect(p).toMatchObject({ channels: 2, frames: 1000, sampleRate: 16000, durationS: 1000 / 16000 });
    const finest = p.levels[0];
    expect(finest.min[0].length).toBe(10);
    expect(finest.min[0][0]).toBeCloseTo(-1, 6);
    expect(finest.max[0][0]).toBeCloseTo(ramp[99], 6);
    expect(finest.max[1][0]).toBeCloseTo(1, 6);
    expect(p.levels.map((l) => [l.samplesPerPeak, l.min[0].length])).toEqual([
      [100, 10],
      [200, 5],
      [400, 3],
      [800, 2],
    ]);
    expect(p.levels[3].max[0][1]).toBeCloseTo(1, 6);
  });

  it('gives wavesurfer.js peaks: the signed sample of largest magnitude per bucket', async () => {
    const p = await computePeaks(rampPath, { samplesPerPeak: 100 });
    const { samplesPerPeak, peaks } = peaksAt(p, 500);
    expect(samplesPerPeak).toBe(500);
    expect(peaks[0]).toEqual([-1, 1]);
    expect(peaks[1]).toEqual([1, -1]);
  });

  it('handles a 6-hour file in one streaming pass, without decoding it whole', async () => {
    const path = join(dir, 'six-hours.wav');
    sparseWav(path, 6 * 3600, 8000, 8);
    expect((await probeAudioFile(path)).durationS).toBe(21600);
    const p = await computePeaks(path, { samplesPerPeak: 8000 });
    expect(p.durationS).toBe(21600);
    expect(p.levels[0].max[0].length).toBe(21600);
    // decodeAudioFile would hold 1.4 GB at 16 kHz: it refuses, saying why.
    const e = await decodeAudioFile(path).catch((error: unknown) => error);
    expect(e).toBeInstanceOf(AudioError);
    expect((e as AudioError).code).toBe('too-long');
    expect((e as AudioError).message).toMatch(/six-hours\.wav: recording is 6\.0 h long, over the 4\.0 h/);
  }, 60_000);
});

describe('getPeaks', () => {
  it('serves duration and per-channel peaks, and caches them atomically', async () => {
    const cacheDir = join(dir, 'cache');
    const first = await getPeaks(rampPath, { cacheDir, pixels: 2 });
    expect(first).toMatchObject({ durationS: 1000 / 16000, sampleRate: 16000, channels: 2, samplesPerPeak: 512 });
    expect(finestSamplesPerPeak(1000)).toBe(16);
    expect(finestSamplesPerPeak(3 * 3600 * 16000)).toBe(256);
    expect(first.peaks).toHaveLength(2);
    expect(first.peaks[0].length).toBeLessThanOrEqual(2);
    const files = readdirSync(cacheDir);
    expect(files).toEqual([`${await peaksCacheKey(rampPath)}.peaks`]);
    // A second call is served from the cache and gives the same answer.
    expect(await getPeaks(rampPath, { cacheDir, pixels: 2 })).toEqual(first);
  });

  it('keys the cache on content as well as size and mtime', async () => {
    const path = join(dir, 'changing.wav');
    // Same size and mtime (as after a copy that preserves times), different samples.
    const when = 1_700_000_000;
    writeFileSync(path, makeWav({ channels: [new Float64Array(100).fill(0.5)] }));
    utimesSync(path, when, when);
    const before = await peaksCacheKey(path);
    writeFileSync(path, makeWav({ channels: [new Float64Array(100).fill(-0.5)] }));
    utimesSync(path, when, when);
    expect(statSync(path).mtimeMs).toBe(when * 1000);
    expect(await peaksCacheKey(path)).not.toBe(before);
  });

  it('recomputes over a damaged cache entry', async () => {
    const cacheDir = join(dir, 'damaged');
    const good = await getPeaks(rampPath, { cacheDir, samplesPerPeak: 256 });
    writeFileSync(join(cacheDir, `${await peaksCacheKey(rampPath)}.peaks`), 'EPK1 garbage');
    expect(await getPeaks(rampPath, { cacheDir, samplesPerPeak: 256 })).toEqual(good);
  });

  it('keeps the cache within its disk budget, dropping the least recently used recordings first', async () => {
    const cacheDir = join(dir, 'budget');
    const paths = ['a', 'b', 'c'].map((name, i) => {
      const path = join(dir, `budget-${name}.wav`);
      writeFileSync(path, makeWav({ channels: [new Float64Array(2000).fill(0.1 * (i + 1))] }));
      return path;
    });
    const entry = async (path: string) => `${await peaksCacheKey(path)}.peaks`;
    await getPeaks(paths[0], { cacheDir });
    const entryBytes = statSync(join(cacheDir, await entry(paths[0]))).size;
    const maxCacheBytes = 2 * entryBytes;
    // a was used long ago, b a little later; then a is read again, which makes b the oldest.
    utimesSync(join(cacheDir, await entry(paths[0])), 1_700_000_000, 1_700_000_000);
    await getPeaks(paths[1], { cacheDir, maxCacheBytes });
    utimesSync(join(cacheDir, await entry(paths[1])), 1_700_000_100, 1_700_000_100);
    await getPeaks(paths[0], { cacheDir, maxCacheBytes });
    await getPeaks(paths[2], { cacheDir, maxCacheBytes });
    expect(readdirSync(cacheDir).sort()).toEqual([await entry(paths[0]), await entry(paths[2])].sort());
  });

  it('names the file when it cannot be read', async () => {
    await expect(getPeaks(join(dir, 'gone.wav'), { cacheDir: dir })).rejects.toThrow(/gone\.wav: cannot read: ENOENT/);
  });
});
