import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WaveformPeaks } from '../../shared/domain/audio';
import { AudioError } from './audio-error';
import { computePeaks, peaksAt, type PeakLevel, type PeakPyramid } from './peaks';
import { probeAudioFile } from './probe';
import { DEFAULT_PEAKS_CACHE_BYTES, prunePeaksCache, touchCacheEntry } from './peaks-cache-prune';

export interface GetPeaksOptions {
  /** Where cached pyramids live (one file per recording and version). */
  cacheDir: string;
  /** Frames per returned value; wins over `pixels`. */
  samplesPerPeak?: number;
  /** Number of values wanted across the whole recording. Default 8000, like exportPeaks. */
  pixels?: number;
  /** Disk the cache may use; the least recently used entries beyond it are removed. Default 512 MiB. */
  maxCacheBytes?: number;
}

/** Bump when the file layout or the peak computation changes: old entries are then ignored. */
const CACHE_VERSION = 1;
const MAGIC = 'EPK1';
const HASH_SPAN = 1 << 20;

/**
 * The finest bucket: 16 frames for short clips (so that a zoomed-in view still has detail),
 * doubling with length up to 256 so that the finest level stays near a million buckets
 * (8 MB per channel in memory, 4 MB on disk) however long the recording.
 */
export function finestSamplesPerPeak(frames: number): number {
  let spp = 16;
  while (spp < 256 && frames / spp > 1 << 20) spp *= 2;
  return spp;
}

/**
 * The cache key: SHA-256 of the file's size, mtime, first MiB and last MiB (and the cache
 * version). Size and mtime catch ordinary edits; the sampled content catches a file replaced by
 * another of the same size with its mtime preserved (copies, restores), without reading hours
 * of audio to hash it all.
 */
export async function peaksCacheKey(path: string): Promise<string> {
  const info = await stat(path);
  const hash = createHash('sha256').update(`earshot-peaks:${CACHE_VERSION}:${info.size}:${info.mtimeMs}:`);
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(Math.min(HASH_SPAN, info.size));
    await handle.read(head, 0, head.length, 0);
    hash.update(head);
    const tailStart = Math.max(head.length, info.size - HASH_SPAN);
    const tail = new Uint8Array(info.size - tailStart);
    await handle.read(tail, 0, tail.length, tailStart);
    hash.update(tail);
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

interface StoredHeader {
  version: number;
  format: string;
  sampleRate: number;
  channels: number;
  frames: number;
  durationS: number;
  levels: { samplesPerPeak: number; count: number }[];
}

/**
 * Layout: "EPK1", uint32 LE header length, the JSON header, zero padding to an even offset, then
 * for each level and channel the bucket minima and then maxima as int16 (value × 32767). Int16
 * halves the file against float32 and is finer than any screen.
 */
function serialise(p: PeakPyramid): Uint8Array {
  const header: StoredHeader = {
    version: CACHE_VERSION,
    format: p.format,
    sampleRate: p.sampleRate,
    channels: p.channels,
    frames: p.frames,
    durationS: p.durationS,
    levels: p.levels.map((l) => ({ samplesPerPeak: l.samplesPerPeak, count: l.min[0].length })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataAt = 8 + json.length + ((8 + json.length) & 1);
  const values = p.levels.reduce((n, l) => n + 2 * p.channels * l.min[0].length, 0);
  const out = new Uint8Array(dataAt + 2 * values);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, json.length, true);
  out.set(json, 8);
  const data = new Int16Array(out.buffer, dataAt, values);
  let at = 0;
  for (const level of p.levels) {
    for (let c = 0; c < p.channels; c++) {
      for (const arr of [level.min[c], level.max[c]]) {
        for (let i = 0; i < arr.length; i++) data[at++] = Math.round(arr[i] * 32767);
      }
    }
  }
  return out;
}

/** Returns undefined for anything that is not a complete entry of this version. */
function deserialise(bytes: Uint8Array): PeakPyramid | undefined {
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) return undefined;
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  if (8 + jsonLength > bytes.length) return undefined;
  let header: StoredHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + jsonLength)));
  } catch {
    return undefined;
  }
  if (header.version !== CACHE_VERSION) return undefined;
  const dataAt = 8 + jsonLength + ((8 + jsonLength) & 1);
  const values = header.levels.reduce((n, l) => n + 2 * header.channels * l.count, 0);
  if (dataAt + 2 * values !== bytes.length) return undefined;
  const aligned = bytes.slice(dataAt);
  const data = new Int16Array(aligned.buffer, 0, values);
  let at = 0;
  const take = (count: number): Float32Array => {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = data[at++] / 32767;
    return out;
  };
  const levels: PeakLevel[] = header.levels.map(({ samplesPerPeak, count }) => {
    const min: Float32Array[] = [];
    const max: Float32Array[] = [];
    for (let c = 0; c < header.channels; c++) {
      min.push(take(count));
      max.push(take(count));
    }
    return { samplesPerPeak, min, max };
  });
  const { format, sampleRate, channels, frames, durationS } = header;
  return { format, sampleRate, channels, frames, durationS, levels };
}

/** Writes to a temporary name and renames, so that readers never see a half-written entry. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

/** The pyramid for a recording: from the cache when the file is unchanged, else computed and stored. */
export async function loadPeakPyramid(path: string, cacheDir: string, maxCacheBytes = DEFAULT_PEAKS_CACHE_BYTES): Promise<PeakPyramid> {
  let key: string;
  try {
    key = await peaksCacheKey(path);
  } catch (error) {
    throw new AudioError(path, 'io', `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const file = join(cacheDir, `${key}.peaks`);
  const cached = await readFile(file).then(
    (b) => deserialise(new Uint8Array(b.buffer, b.byteOffset, b.length)),
    () => undefined,
  );
  if (cached) {
    await touchCacheEntry(file);
    return cached;
  }
  const info = await probeAudioFile(path);
  const pyramid = await computePeaks(path, { samplesPerPeak: finestSamplesPerPeak(info.durationS * info.sampleRate) });
  await mkdir(cacheDir, { recursive: true });
  await writeAtomically(file, serialise(pyramid));
  await prunePeaksCache(cacheDir, maxCacheBytes, `${key}.peaks`);
  return pyramid;
}

/** Peaks for the waveform view, in the form wavesurfer.js 7 takes: load(url, peaks, durationS). */
export async function getPeaks(path: string, opts: GetPeaksOptions): Promise<WaveformPeaks> {
  const pyramid = await loadPeakPyramid(path, opts.cacheDir, opts.maxCacheBytes);
  const pixels = Math.max(1, Math.floor(opts.pixels ?? 8000));
  const wanted = opts.samplesPerPeak ?? Math.max(1, Math.ceil(pyramid.frames / pixels));
  const { samplesPerPeak, peaks } = peaksAt(pyramid, wanted);
  return { durationS: pyramid.durationS, sampleRate: pyramid.sampleRate, channels: pyramid.channels, samplesPerPeak, peaks };
}
