/**
 * Short compressed clips against the same clips as WAV: 300 one-second files per format, each
 * decoded from disk to 16 kHz and recognised (greedy), one after another in one thread, as a
 * worker decoding a corpus does. The clips are bench/data/clips (29 demo windows as Opus, MP3
 * and FLAC) copied under 300 names; the WAVs hold the FLAC clips' (lossless) samples.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeSamples } from '../../src/engine/asr/decode-utterance';
import type { TransducerModel } from '../../src/engine/asr/transducer-model';
import { decodeAudioFile } from '../../src/engine/audio/decode-audio';
import { makeWav } from '../../test/unit/audio/make-wav';
import { interleavedRounds, median, medianRatio, spread } from './rounds';

export const CLIP_FORMATS = ['wav', 'opus', 'mp3', 'flac'] as const;
export type ClipFormat = (typeof CLIP_FORMATS)[number];
export const CLIP_COUNT = 300;

const CLIPS = fileURLToPath(new URL('../data/clips', import.meta.url));

export interface ClipSet {
  dir: string;
  files: Record<ClipFormat, string[]>;
  dispose(): void;
}

export async function makeClipSet(): Promise<ClipSet> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-clips-'));
  const names = readdirSync(CLIPS).filter((f) => f.endsWith('.flac')).map((f) => basename(f, '.flac')).sort();
  if (names.length === 0) throw new Error(`no clips in ${CLIPS} (scripts/make-compressed-clips.py makes them)`);
  const files = Object.fromEntries(CLIP_FORMATS.map((f) => [f, [] as string[]])) as Record<ClipFormat, string[]>;
  for (const name of names) {
    const { samples } = await decodeAudioFile(join(CLIPS, `${name}.flac`));
    writeFileSync(join(dir, `${name}.wav`), makeWav({ sampleRate: 16000, channels: [samples] }));
  }
  for (let i = 0; i < CLIP_COUNT; i++) {
    const name = names[i % names.length];
    for (const format of CLIP_FORMATS) {
      const target = join(dir, `c${i}.${format}`);
      copyFileSync(join(format === 'wav' ? dir : CLIPS, `${name}.${format}`), target);
      files[format].push(target);
    }
  }
  return { dir, files, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Decodes and recognises every file; returns the peak resident memory seen (MiB). */
export async function decodeClips(model: TransducerModel, files: readonly string[], recognise = true): Promise<number> {
  let peak = 0;
  for (const file of files) {
    const { samples } = await decodeAudioFile(file, { targetRate: 16000 });
    if (recognise) decodeSamples(model, samples, { beam: 1, maxSymbolsPerFrame: 1 });
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  return peak / 2 ** 20;
}

/**
 * `compressed_to_wav_time_ratio` and its neighbours: every format decoded and recognised
 * `rounds` times, formats interleaved round by round, CPU-time medians.
 */
export async function measureClips(model: TransducerModel, rounds: number): Promise<{ metrics: Record<string, number>; units: Record<string, string> }> {
  const clips = await makeClipSet();
  const peakMb: Partial<Record<ClipFormat, number>> = {};
  let r;
  try {
    r = await interleavedRounds(
      Object.fromEntries(CLIP_FORMATS.map((f) => [f, async () => (peakMb[f] = Math.max(peakMb[f] ?? 0, await decodeClips(model, clips.files[f])))])),
      rounds,
    );
  } finally {
    clips.dispose();
  }
  const ratio = (f: ClipFormat): number => medianRatio(r.cpu[f], r.cpu.wav);
  return {
    metrics: {
      compressed_to_wav_time_ratio: ratio('opus'),
      compressed_to_wav_time_ratio_mp3: ratio('mp3'),
      compressed_to_wav_time_ratio_flac: ratio('flac'),
      compressed_to_wav_time_ratio_wall: medianRatio(r.wall.opus, r.wall.wav),
      compressed_to_wav_time_ratio_spread: spread(r.cpu.opus.map((v, i) => v / r.cpu.wav[i])),
      clips_wav_s: median(r.cpu.wav),
      clips_opus_s: median(r.cpu.opus),
      clips_mp3_s: median(r.cpu.mp3),
      clips_flac_s: median(r.cpu.flac),
      clips_peak_rss_mb: Math.max(...Object.values(peakMb)),
      clips_wav_peak_rss_mb: peakMb.wav ?? 0,
    },
    units: {
      compressed_to_wav_time_ratio: `CPU time to decode and recognise ${CLIP_COUNT} one-second Ogg Opus clips / the same clips as WAV, one thread, median of ${rounds} interleaved rounds (_mp3, _flac: the other formats; _wall: Opus by wall time; _spread: max/min − 1 of the Opus ratio over the rounds)`,
      clips_wav_s: `CPU s for the ${CLIP_COUNT} WAV clips (decode + recognition); clips_opus_s etc. the same per format`,
      clips_peak_rss_mb: 'MiB, the most resident memory of the bench process seen during the clip rounds (clips_wav_peak_rss_mb: during the WAV ones)',
    },
  };
}
