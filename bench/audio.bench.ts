/**
 * Audio front end, on one thread:
 * - fbank_x_realtime: seconds of 16 kHz audio turned into 80-bin fbank per second of compute
 *   (CPU time of this single-threaded process, so that other load on the machine does not count);
 * - peaks_1h_s: wall time to compute the waveform peaks of a 1-hour 16 kHz 16-bit mono WAV
 *   (no cache; the file was just written, so it is likely in the page cache);
 * - peaks_1h_extra_mb: the most resident memory above the baseline while doing it, sampled every
 *   5 ms in a fresh child process (this file, run with --peaks-child), so that memory the parent
 *   used to write the file does not hide or inflate it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computePeaks } from '../src/engine/audio/peaks';
import { computeFbank } from '../src/engine/features/fbank';
import type { BenchOutput } from './run';

const RATE = 16000;

function wavHeader(dataBytes: number): Uint8Array {
  const h = new DataView(new ArrayBuffer(44));
  const tag = (at: number, s: string): void => [...s].forEach((c, i) => h.setUint8(at + i, c.charCodeAt(0)));
  tag(0, 'RIFF');
  h.setUint32(4, 36 + dataBytes, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  h.setUint32(16, 16, true);
  h.setUint16(20, 1, true);
  h.setUint16(22, 1, true);
  h.setUint32(24, RATE, true);
  h.setUint32(28, RATE * 2, true);
  h.setUint16(32, 2, true);
  h.setUint16(34, 16, true);
  tag(36, 'data');
  h.setUint32(40, dataBytes, true);
  return new Uint8Array(h.buffer);
}

/** A speech-like test signal: a few drifting tones over noise, deterministic. */
function signal(seconds: number): Float32Array {
  const out = new Float32Array(seconds * RATE);
  let seed = 12345;
  for (let i = 0; i < out.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const t = i / RATE;
    out[i] = 0.3 * Math.sin(2 * Math.PI * (200 + 50 * Math.sin(t)) * t) + 0.1 * Math.sin(2 * Math.PI * 1800 * t) + 0.05 * (seed / 2 ** 32 - 0.5);
  }
  return out;
}

function writeHourWav(path: string): void {
  const seconds = 3600;
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, wavHeader(seconds * RATE * 2));
    const minute = signal(60);
    const pcm = Int16Array.from(minute, (v) => Math.round(v * 32767));
    for (let m = 0; m < seconds / 60; m++) writeSync(fd, new Uint8Array(pcm.buffer));
  } finally {
    closeSync(fd);
  }
}

async function measurePeaks(path: string): Promise<{ seconds: number; extraMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const t0 = performance.now();
  const pyramid = await computePeaks(path);
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (Math.abs(pyramid.durationS - 3600) > 1e-6) throw new Error(`peaks covered ${pyramid.durationS} s`);
  return { seconds, extraMb: (peak - baseline) / 2 ** 20 };
}

/** Runs measurePeaks in a fresh process with the same loader flags (e.g. tsx) as this one. */
function measurePeaksInChild(path: string): { seconds: number; extraMb: number } {
  const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--peaks-child', path], {
    encoding: 'utf8',
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith('{'));
  if (child.status !== 0 || !line) throw new Error(`peaks child failed: ${child.stderr}`);
  return JSON.parse(line);
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function measureFbank(): number {
  const audio = signal(60);
  computeFbank(audio.subarray(0, 5 * RATE));
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = cpuSeconds();
    computeFbank(audio);
    best = Math.min(best, cpuSeconds() - t0);
  }
  return 60 / best;
}

export default async function run(): Promise<BenchOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-audio-bench-'));
  try {
    const wav = join(dir, 'hour.wav');
    writeHourWav(wav);
    const peaks = measurePeaksInChild(wav);
    const fbank = measureFbank();
    return {
      metrics: { fbank_x_realtime: fbank, peaks_1h_s: peaks.seconds, peaks_1h_extra_mb: peaks.extraMb },
      units: { fbank_x_realtime: 'x', peaks_1h_s: 's', peaks_1h_extra_mb: 'MiB' },
      notes: { fbank: 'computeFbank, 60 s of 16 kHz audio, default options (80 bins), CPU time, best of 5', peaks: 'computePeaks, 1 h 16 kHz int16 mono WAV, cold (no cache)' },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--peaks-child') {
  void measurePeaks(process.argv[3]).then((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
}
