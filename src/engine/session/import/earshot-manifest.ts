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

const earshotFields = {
  audio: z.string().min(1),
  id: z.string().min(1).optional(),
  text: z.string().nullable().optional(),
  context: z.array(z.string()).optional(),
  speech_start: seconds.optional(),
  speech_end: seconds.optional(),
  speech_segments: z.array(z.tuple([seconds, seconds])).optional(),
};
const KNOWN_FIELDS = Object.keys(earshotFields);

/** Edit distance of two short field names. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/**
 * Earshot's own manifest line. Known fields are checked; others (the corpus generator's
 * `pauses`, `names`, `voice`, a source's licence notes…) are carried by the line and ignored,
 * except a near miss of a known field, which is surely a typo and an error.
 * `text: null` means the transcript is unknown; `speech_segments: []` means no speech at all.
 */
export const earshotLineSchema = z.looseObject(earshotFields).superRefine((line, ctx) => {
  for (const key of Object.keys(line)) {
    if (KNOWN_FIELDS.includes(key)) continue;
    const near = KNOWN_FIELDS.find((known) => distance(key, known) <= 2);
    if (near) ctx.addIssue({ code: 'custom', message: `Unrecognized key: "${key}" (did you mean "${near}"?)` });
  }
});

/** JSONL: `audio` relative to the manifest (or absolute), optional `id`, `text`, `context`, `speech_start`, `speech_end`. */
export function parseEarshotManifest(text: string, file: string, guard: PathGuard): Utterance[] {
  const ids = new IdAllocator();
  return parseJsonlLines(text, file, earshotLineSchema).map(({ line, value }) => {
    const audio = guardAudio(guard, resolve(dirname(file), value.audio), file, line);
    if (value.speech_start !== undefined && value.speech_end !== undefined && value.speech_end < value.speech_start) {
      throw new ImportError(file, '"speech_end" is before "speech_start"', line);
    }
    const segments = value.speech_segments;
    if (segments?.some(([start, end], i) => end < start || (i > 0 && start < segments[i - 1][1]))) {
      throw new ImportError(file, '"speech_segments" must be ordered [start, end] pairs that do not overlap', line);
    }
    const speechStart = value.speech_start ?? segments?.[0]?.[0];
    const speechEnd = value.speech_end ?? segments?.at(-1)?.[1];
    return {
      id: ids.take(value.id ?? stem(audio)),
      audio,
      ...(typeof value.text === 'string' ? { text: value.text } : {}),
      ...(value.context !== undefined ? { context: value.context } : {}),
      ...(speechStart !== undefined ? { speechStartS: speechStart } : {}),
      ...(speechEnd !== undefined ? { speechEndS: speechEnd } : {}),
      ...(segments !== undefined ? { speechSegments: segments } : {}),
    };
  });
}

export async function importEarshotManifest(file: string, options: { guard: PathGuard }): Promise<Utterance[]> {
  const path = guardAudio(options.guard, file, file, undefined, 'the manifest');
  return parseEarshotManifest(await readText(path, 'the manifest'), path, options.guard);
}
