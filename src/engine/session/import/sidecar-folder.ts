import { dirname, join } from 'node:path';
import type { Utterance } from '../../../shared/domain/session';
import type { PathGuard } from '../path-guard';
import { guardAudio } from './guard-audio';
import { ImportError } from './import-error';
import { isFile, readFolder, readText } from './read-text';
import { IdAllocator, stem } from './utterance-fields';

export const AUDIO_EXTENSIONS = /\.(wav|flac|mp3|ogg|opus)$/i;

/** A sidecar's transcript: its lines joined by spaces (MFA-style .lab files hold one line). */
export function sidecarText(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join(' ');
}

/**
 * Audio files in a folder and its subfolders, each with its transcript from `<name>.txt`
 * or, failing that, `<name>.lab` beside it; audio without a sidecar has no reference.
 */
export async function importSidecarFolder(folder: string, options: { guard: PathGuard; maxDepth?: number }): Promise<Utterance[]> {
  const root = guardAudio(options.guard, folder, folder, undefined, 'the audio folder');
  const audio = await listAudio(root, options.maxDepth ?? 8);
  if (!audio.length) throw new ImportError(root, 'has no audio files (.wav, .flac, .mp3, .ogg, .opus)');
  const ids = new IdAllocator();
  const out: Utterance[] = [];
  for (const path of audio) {
    const base = join(dirname(path), stem(path));
    let text: string | undefined;
    for (const sidecar of [`${base}.txt`, `${base}.lab`]) {
      if (await isFile(sidecar)) {
        text = sidecarText(await readText(sidecar, 'the transcript'));
        break;
      }
    }
    out.push({ id: ids.take(stem(path)), audio: path, ...(text !== undefined ? { text } : {}) });
  }
  return out;
}

async function listAudio(dir: string, depth: number): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readFolder(dir)) {
    const path = join(dir, entry.name);
    if (entry.isFile() && AUDIO_EXTENSIONS.test(entry.name)) out.push(path);
    else if (entry.isDirectory() && depth > 0 && !entry.name.startsWith('.')) out.push(...(await listAudio(path, depth - 1)));
  }
  return out;
}
