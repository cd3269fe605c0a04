import { dirname, join } from 'node:path';
import type { Utterance } from '../../../shared/domain/session';
import type { PathGuard } from '../path-guard';
import { guardAudio } from './guard-audio';
import { ImportError } from './import-error';
import { numberedLines, readFolder, readText } from './read-text';

/** One `<speaker>-<chapter>.trans.txt`: "<utterance-id> TRANSCRIPT" lines; audio is `<utterance-id>.flac` beside it. */
export function parseLibriSpeechTranscript(text: string, file: string, guard: PathGuard): Utterance[] {
  return numberedLines(text).map(({ line, text: content }) => {
    const match = /^\s*(\S+)\s*(.*)$/.exec(content) as RegExpExecArray;
    const id = match[1];
    if (!/^[\w-]+$/.test(id)) throw new ImportError(file, `"${id}" is not a LibriSpeech utterance id`, line);
    return { id, audio: guardAudio(guard, join(dirname(file), `${id}.flac`), file, line), text: match[2].trim() };
  });
}

/** Finds `*.trans.txt` up to three folders down (corpus/subset/speaker/chapter) and reads them all. */
export async function importLibriSpeech(root: string, options: { guard: PathGuard }): Promise<Utterance[]> {
  const top = guardAudio(options.guard, root, root, undefined, 'the LibriSpeech folder');
  const transcripts = await findTranscripts(top, 4);
  if (!transcripts.length) throw new ImportError(top, 'has no LibriSpeech transcripts (*/*/*.trans.txt)');
  const seen = new Set<string>();
  const out: Utterance[] = [];
  for (const file of transcripts) {
    for (const u of parseLibriSpeechTranscript(await readText(file, 'the transcript'), file, options.guard)) {
      if (seen.has(u.id)) throw new ImportError(file, `utterance "${u.id}" appears in more than one transcript`);
      seen.add(u.id);
      out.push(u);
    }
  }
  return out;
}

export async function findTranscripts(dir: string, depth: number): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readFolder(dir)) {
    const path = join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith('.trans.txt')) found.push(path);
    else if (entry.isDirectory() && depth > 0) found.push(...(await findTranscripts(path, depth - 1)));
  }
  return found;
}
