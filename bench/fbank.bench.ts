/**
 * The streaming fbank front end alone, as a decoder drives it: the demo recordings fed in
 * 100 ms chunks to one StreamingFbank per utterance, the frames read out and dropped as they
 * come. CPU time of this single-threaded process, median over rounds: far steadier on a shared
 * machine than the front end's share of a whole decode (`split_features` of bench runtime).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeAudioFile } from '../src/engine/audio/decode-audio';
import { StreamingFbank } from '../src/engine/features/streaming-fbank';
import { cpuSeconds, median, spread } from './runtime/rounds';
import type { BenchOutput } from './run';

const ROUNDS = 15;
/** Passes over the demo set per round, so that a round is long enough to time. */
const PASSES = 4;
const CHUNK = 1600;

function featuresOf(samples: Float32Array, out: Float32Array): number {
  const fbank = new StreamingFbank();
  let frames = 0;
  const drain = (): void => {
    const n = fbank.numFramesQueued;
    if (n === 0) return;
    fbank.copyFrames(0, n, out);
    fbank.dropFrames(n);
    frames += n;
  };
  for (let at = 0; at < samples.length; at += CHUNK) {
    fbank.accept(samples.subarray(at, at + CHUNK));
    drain();
  }
  fbank.inputFinished();
  drain();
  return frames;
}

export default async function run(): Promise<BenchOutput> {
  const demo = fileURLToPath(new URL('../resources/demo', import.meta.url));
  const files = readdirSync(demo).filter((f) => f.endsWith('.wav')).sort();
  const audio = await Promise.all(files.map(async (f) => (await decodeAudioFile(join(demo, f), { targetRate: 16000 })).samples));
  const audioS = audio.reduce((n, a) => n + a.length, 0) / 16000;
  const out = new Float32Array(64 * 80);
  const pass = (): number => audio.reduce((n, s) => n + featuresOf(s, out), 0);
  const framesPerPass = pass(); // warm-up
  for (let i = 0; i < 3; i++) pass();
  const perRound: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = cpuSeconds();
    for (let p = 0; p < PASSES; p++) pass();
    perRound.push(cpuSeconds() - t0);
  }
  const roundS = median(perRound);
  return {
    metrics: {
      fbank_us_per_frame: (roundS / (PASSES * framesPerPass)) * 1e6,
      fbank_x_realtime: (PASSES * audioS) / roundS,
      fbank_spread: spread(perRound),
      frames: framesPerPass,
      audio_s: audioS,
    },
    units: {
      fbank_us_per_frame: `µs of CPU per 10 ms frame (80 bins), StreamingFbank fed 100 ms chunks, median of ${ROUNDS} rounds of ${PASSES} passes over resources/demo/*.wav`,
      fbank_x_realtime: 'seconds of audio per CPU second, the same runs',
      fbank_spread: 'max/min − 1 of the round times (how noisy the machine was)',
      frames: 'frames per pass over the demo set',
      audio_s: 'seconds of audio per pass',
    },
  };
}
