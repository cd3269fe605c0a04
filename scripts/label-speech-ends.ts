/**
 * Writes data/endpoint-labels/: reference speech-end times for the test split of
 * ../shared/data/real-train/ and for ../shared/data/real-speech/, by the agreement method of
 * src/engine/endpoint/speech-end-labels.ts (see data/endpoint-labels/README.md).
 *
 *   npx tsx scripts/label-speech-ends.ts [--plots DIR]   # DIR: SVG spot-check plots of a sample
 *
 * Each output is an Earshot manifest (audio relative to the file itself, `text`, `speech_end`),
 * so `earshot decode data/endpoint-labels/real-train-test.jsonl` reads it directly. Recordings
 * whose detectors disagree go to `<name>.rejected.jsonl` with their estimates.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { decodeAudioFile } from '../src/engine/audio/decode-audio';
import { agreeOnSpeechEnd, energySpeech, estimateSpeechEnd, frameEnergiesDb } from '../src/engine/endpoint/speech-end-labels';
import { vadTracks } from '../src/engine/vad/vad-tracks';
import { speechEndPlot } from './speech-end-plot';

const SHARED = resolve('../shared/data');
const OUT = resolve('data/endpoint-labels');
const plotsAt = process.argv[2] === '--plots' ? resolve(process.argv[3]) : null;

interface Row {
  audio: string;
  text?: string | null;
  split?: string;
  corpus?: string;
  speech_segments?: Array<[number, number]>;
}

function readJsonl(path: string): Row[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Row);
}

function writeJsonl(path: string, rows: object[]): void {
  writeFileSync(`${path}.tmp`, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : ''));
  renameSync(`${path}.tmp`, path);
}

async function label(name: string, folder: string, rows: Row[]): Promise<void> {
  const kept: object[] = [];
  const rejected: object[] = [];
  let humanChecked = 0;
  let humanError = 0;
  for (const [i, row] of rows.entries()) {
    const path = join(folder, row.audio);
    const audio = await decodeAudioFile(path, { targetRate: 16000 });
    const vad = await vadTracks(audio.samples);
    const energies = frameEnergiesDb(audio.samples);
    const derived = agreeOnSpeechEnd(estimateSpeechEnd(vad, energies));
    const human = row.speech_segments === undefined ? undefined : row.speech_segments.length === 0 ? null : Math.max(...row.speech_segments.map((s) => s[1]));
    if (typeof human === 'number' && derived.speechEndS !== null) {
      humanChecked++;
      humanError += Math.abs(derived.speechEndS - human);
    }
    const line = {
      id: `${name}:${row.audio}`,
      audio: relative(OUT, path),
      text: row.text ?? null,
      ...(row.corpus ? { corpus: row.corpus } : {}),
      // Hand labels win where the source has them; the derived label is kept beside them as a check.
      speech_end: human !== undefined ? human : derived.speechEndS,
      speech_end_source: human !== undefined ? 'human' : 'vad-agreement',
      derived: { speech_end: derived.speechEndS, agreement: derived.agreement, ...derived.estimates },
      duration: Math.round(audio.durationS * 1000) / 1000,
    };
    (line.speech_end === null && human === undefined ? rejected : kept).push(line);
    if (plotsAt && i % 40 === 0) {
      mkdirSync(plotsAt, { recursive: true });
      writeFileSync(join(plotsAt, `${name}-${i}.svg`), speechEndPlot(audio.samples, vad, energies, energySpeech(energies), line.speech_end, derived, human ?? null, row.audio));
    }
  }
  writeJsonl(join(OUT, `${name}.jsonl`), kept);
  writeJsonl(join(OUT, `${name}.rejected.jsonl`), rejected);
  const mae = humanChecked > 0 ? ` (against ${humanChecked} hand labels: mean |error| ${Math.round((humanError / humanChecked) * 1000)} ms)` : '';
  process.stderr.write(`${name}: ${kept.length} labelled, ${rejected.length} rejected${mae}\n`);
}

mkdirSync(OUT, { recursive: true });
const train = join(SHARED, 'real-train');
await label('real-train-test', train, readJsonl(join(train, 'manifest.jsonl')).filter((r) => r.split === 'test'));
const speech = join(SHARED, 'real-speech');
const manifest = readJsonl(join(speech, 'manifest.jsonl'));
const seen = new Set(manifest.map((r) => r.audio));
// endpoints.jsonl adds the speech-free negatives and the long multi-pause recording.
// pocketsphinx_chan3.wav is left out: four turns over 20.9 s, the last ending past the 20 s timeout.
const extra = readJsonl(join(speech, 'endpoints.jsonl')).filter((r) => !seen.has(r.audio) && !r.audio.endsWith('pocketsphinx_chan3.wav'));
await label('real-speech', speech, [...manifest, ...extra]);
