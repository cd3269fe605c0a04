/** What to decode: a manifest (JSON lines: `audio` relative to the manifest, optional `text`, `context`) or a folder of audio files. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';

export interface DatasetItem {
  /** Absolute path of the audio file. */
  path: string;
  /** The audio as the input named it (written back in the results). */
  audio: string;
  text?: string;
  context?: string[];
}

const AUDIO_EXTENSIONS = new Set(['.wav', '.flac', '.mp3', '.ogg', '.opus']);

export function readDatasetInput(input: string): DatasetItem[] {
  let isDir: boolean;
  try {
    isDir = statSync(input).isDirectory();
  } catch {
    throw new Error(`decode input ${input} does not exist`);
  }
  return isDir ? folderItems(input) : manifestItems(input);
}

function folderItems(dir: string): DatasetItem[] {
  return readdirSync(dir)
    .filter((f) => AUDIO_EXTENSIONS.has(extname(f).toLowerCase()))
    .sort()
    .map((f) => ({ path: resolve(dir, f), audio: f }));
}

function manifestItems(manifest: string): DatasetItem[] {
  const base = dirname(resolve(manifest));
  const items: DatasetItem[] = [];
  readFileSync(manifest, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let row: { audio?: unknown; text?: unknown; context?: unknown };
      try {
        row = JSON.parse(line) as typeof row;
      } catch (err) {
        throw new Error(`${manifest}:${i + 1}: not JSON (${(err as Error).message})`);
      }
      if (typeof row.audio !== 'string') throw new Error(`${manifest}:${i + 1}: "audio" must be a string`);
      if (row.context !== undefined && !(Array.isArray(row.context) && row.context.every((c) => typeof c === 'string'))) {
        throw new Error(`${manifest}:${i + 1}: "context" must be a list of names`);
      }
      items.push({
        path: isAbsolute(row.audio) ? row.audio : join(base, row.audio),
        audio: row.audio,
        text: typeof row.text === 'string' ? row.text : undefined,
        context: row.context as string[] | undefined,
      });
    });
  return items;
}
