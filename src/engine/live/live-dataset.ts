/**
 * The live data set: an ordinary Earshot data set (a manifest.jsonl and its WAVs) in the user's
 * data folder, so a live utterance opens, annotates, exports and compares like any other. Each
 * utterance's WAV is written atomically, then its line is appended to the manifest atomically
 * (the whole file rewritten through a temporary file): a crash leaves the old manifest or the
 * new one, never half a line, and a WAV the manifest does not name yet at worst.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../session/atomic-write';
import { encodeWav16 } from '../audio/wav-encode';
import { FOLDER_MANIFEST } from '../session/import/import-dataset';
import { LIVE_RATE } from './live-session';

export interface SavedLiveUtterance {
  id: string;
  /** The WAV's absolute path. */
  audio: string;
  manifest: string;
}

/** Appends to one manifest happen one at a time, whichever session ended first. */
const appending = new Map<string, Promise<unknown>>();

/** `live-20261207-101530-042`: sorts by when it was said, and is a valid id and file name everywhere. */
export function liveUtteranceId(at: Date): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `live-${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}-${pad(at.getUTCMilliseconds(), 3)}`;
}

/** Saves one utterance's 16 kHz audio in `folder` and adds it to the folder's manifest. */
export function saveLiveUtterance(folder: string, samples: Int16Array, at: Date = new Date()): Promise<SavedLiveUtterance> {
  const manifest = join(folder, FOLDER_MANIFEST);
  const previous = appending.get(manifest) ?? Promise.resolve();
  const saved = previous.catch(() => undefined).then(() => append(folder, manifest, samples, at));
  appending.set(manifest, saved);
  return saved;
}

async function append(folder: string, manifest: string, samples: Int16Array, at: Date): Promise<SavedLiveUtterance> {
  await mkdir(folder, { recursive: true });
  const existing = await readFile(manifest, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const id = await freshId(folder, liveUtteranceId(at));
  const audio = join(folder, `${id}.wav`);
  await writeFileAtomic(audio, encodeWav16(samples, LIVE_RATE));
  const line = JSON.stringify({ audio: `${id}.wav`, id, recorded: at.toISOString() });
  const before = existing === '' || existing.endsWith('\n') ? existing : `${existing}\n`;
  await writeFileAtomic(manifest, `${before}${line}\n`);
  return { id, audio, manifest };
}

/** Two utterances ending in the same millisecond (or a clock set back) must not share a file. */
async function freshId(folder: string, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!(await stat(join(folder, `${id}.wav`)).catch(() => undefined))) return id;
  }
}
