import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { Utterance } from '../../../shared/domain/session';
import { seconds } from '../json-number';
import type { PathGuard } from '../path-guard';
import { guardAudio } from './guard-audio';
import { ImportError } from './import-error';
import { parseJsonlLines } from './jsonl';
import { readText } from './read-text';
import { IdAllocator, stem } from './utterance-fields';

/** Earshot's own manifest line. Strict: a misspelt field in our own format is an error, not ignored. */
export const earshotLineSchema = z.strictObject({
  audio: z.string().min(1),
  id: z.string().min(1).optional(),
  text: z.string().optional(),
  context: z.array(z.string()).optional(),
  speech_start: seconds.optional(),
  speech_end: seconds.optional(),
});

/** JSONL: `audio` relative to the manifest (or absolute), optional `id`, `text`, `context`, `speech_start`, `speech_end`. */
export function parseEarshotManifest(text: string, file: string, guard: PathGuard): Utterance[] {
  const ids = new IdAllocator();
  return parseJsonlLines(text, file, earshotLineSchema).map(({ line, value }) => {
    const audio = guardAudio(guard, resolve(dirname(file), value.audio), file, line);
    if (value.speech_start !== undefined && value.speech_end !== undefined && value.speech_end < value.speech_start) {
      throw new ImportError(file, '"speech_end" is before "speech_start"', line);
    }
    return {
      id: ids.take(value.id ?? stem(audio)),
      audio,
      ...(value.text !== undefined ? { text: value.text } : {}),
      ...(value.context !== undefined ? { context: value.context } : {}),
      ...(value.speech_start !== undefined ? { speechStartS: value.speech_start } : {}),
      ...(value.speech_end !== undefined ? { speechEndS: value.speech_end } : {}),
    };
  });
}

export async function importEarshotManifest(file: string, options: { guard: PathGuard }): Promise<Utterance[]> {
  const path = guardAudio(options.guard, file, file, undefined, 'the manifest');
  return parseEarshotManifest(await readText(path, 'the manifest'), path, options.guard);
}
