import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { Utterance } from '../../../shared/domain/session';
import { seconds } from '../json-number';
import type { PathGuard } from '../path-guard';
import { guardAudio } from './guard-audio';
import { parseJsonlLines } from './jsonl';
import { readText } from './read-text';
import { IdAllocator, stem } from './utterance-fields';

/** A NeMo manifest line; other fields (pred_text, lang, ...) are allowed and ignored. */
export const nemoLineSchema = z.looseObject({
  audio_filepath: z.string().min(1),
  duration: seconds.optional(),
  offset: seconds.optional(),
  text: z.string().optional(),
});

/**
 * NeMo JSONL: `audio_filepath` (relative paths are taken from the manifest's folder),
 * `duration`, `text`, and optionally `offset` (with `duration`, a segment of the file).
 */
export function parseNemoManifest(text: string, file: string, guard: PathGuard): Utterance[] {
  const ids = new IdAllocator();
  return parseJsonlLines(text, file, nemoLineSchema).map(({ line, value }) => {
    const audio = guardAudio(guard, resolve(dirname(file), value.audio_filepath), file, line);
    const segment =
      value.offset !== undefined
        ? { startS: value.offset, ...(value.duration !== undefined ? { endS: value.offset + value.duration } : {}) }
        : {};
    return {
      id: ids.take(stem(audio)),
      audio,
      ...segment,
      ...(value.duration !== undefined ? { durationS: value.duration } : {}),
      ...(value.text !== undefined ? { text: value.text } : {}),
    };
  });
}

export async function importNemoManifest(file: string, options: { guard: PathGuard }): Promise<Utterance[]> {
  const path = guardAudio(options.guard, file, file, undefined, 'the manifest');
  return parseNemoManifest(await readText(path, 'the manifest'), path, options.guard);
}
