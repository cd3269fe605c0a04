/**
 * Adds real recordings to the demo data set: Speech Commands test clips (CC BY 4.0) from
 * ../shared/data/real-train, decoded to 16 kHz, continued by 1.5 s of their own background
 * (as the end-pointer benchmark does, so an end-pointer can fire after the word), written as
 * 16-bit WAV with sox, and appended to resources/demo/manifest.jsonl with their reference
 * speech end from data/endpoint-labels. The WAVs are committed; rerun only to change them.
 *   npx tsx scripts/make-demo-real.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeAudioFile } from '../src/engine/audio/decode-audio';
import { continueBackground } from '../src/engine/audio/continue-background';

const root = resolve(import.meta.dirname, '..');
const corpus = resolve(root, '../shared/data/real-train');
const demo = join(root, 'resources/demo');
const PAD_S = 1.5;

/** Four words, four speakers of the held-out test split, each ending at least 0.35 s before the clip does. */
const clips = [
  { name: 'real-yes', file: 'yes_aef8dcf5_nohash_0.opus' },
  { name: 'real-go', file: 'go_af405b69_nohash_0.opus' },
  { name: 'real-stop', file: 'stop_f9643d42_nohash_3.opus' },
  { name: 'real-left', file: 'left_1f3bece8_nohash_0.opus' },
];

const labels = new Map(
  readFileSync(join(root, 'data/endpoint-labels/real-train-test.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: string; text: string; speech_end: number | null })
    .map((l) => [l.id.split('/').pop() as string, l]),
);

const manifest = join(demo, 'manifest.jsonl');
const kept = readFileSync(manifest, 'utf8').trim().split('\n').filter((line) => !clips.some((c) => line.includes(`"${c.name}.wav"`)));
writeFileSync(manifest, kept.join('\n') + '\n');
const tmp = mkdtempSync(join(tmpdir(), 'earshot-demo-'));
try {
  for (const clip of clips) {
    const label = labels.get(clip.file);
    if (!label || label.speech_end === null) throw new Error(`${clip.file} has no speech-end label`);
    const audio = await decodeAudioFile(join(corpus, 'audio/speech_commands', clip.file));
    const samples = continueBackground(audio.samples, audio.sampleRate, PAD_S);
    const raw = join(tmp, `${clip.name}.f32`);
    writeFileSync(raw, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
    execFileSync('sox', ['-t', 'raw', '-e', 'floating-point', '-b', '32', '-r', String(audio.sampleRate), '-c', '1', raw, '-b', '16', join(demo, `${clip.name}.wav`)]);
    appendFileSync(manifest, JSON.stringify({ audio: `${clip.name}.wav`, text: label.text, speech_end: label.speech_end, source: `Speech Commands v0.02 test: ${clip.file.replace('.opus', '.wav')}` }) + '\n');
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`wrote ${clips.length} real recordings to ${demo}`);
