import { basename, dirname, join, resolve } from 'node:path';
import type { Utterance } from '../../../shared/domain/session';
import type { PathGuard } from '../path-guard';
import { guardAudio } from './guard-audio';
import { ImportError } from './import-error';
import { isFile, numberedLines, readText } from './read-text';

export interface KaldiFiles {
  wavScp: string;
  text?: string;
  segments?: string;
}

/**
 * Kaldi scripts run from the recipe folder, so relative wav.scp paths are taken from there:
 * the parent of `data/` when the data dir sits in one, else the data dir itself.
 */
export function kaldiPathBase(dataDir: string): string {
  const parent = dirname(dataDir);
  return basename(parent) === 'data' ? dirname(parent) : dataDir;
}

/** A Kaldi data dir: `wav.scp` (plain paths; pipe commands are refused), optional `text` and `segments`. */
export function parseKaldiDataDir(files: KaldiFiles, dataDir: string, guard: PathGuard): Utterance[] {
  const wavFile = join(dataDir, 'wav.scp');
  const base = kaldiPathBase(dataDir);
  const recordings = new Map<string, string>();
  for (const { line, text } of numberedLines(files.wavScp)) {
    const [recId, location] = splitKey(text);
    if (!location) throw new ImportError(wavFile, `recording "${recId}" has no audio path`, line);
    if (/\|\s*$/.test(location)) {
      throw new ImportError(wavFile, `recording "${recId}" is a pipe command ("${location}"); Earshot reads audio files only: write the audio to a file (e.g. with sox) and list that file`, line);
    }
    if (/\s/.test(location) || /\.ark:\d+$/.test(location)) {
      throw new ImportError(wavFile, `recording "${recId}" is not a plain file path ("${location}")`, line);
    }
    if (recordings.has(recId)) throw new ImportError(wavFile, `recording "${recId}" is listed twice`, line);
    recordings.set(recId, guardAudio(guard, resolve(base, location), wavFile, line));
  }

  const utterances = new Map<string, Utterance>();
  if (files.segments === undefined) {
    for (const [id, audio] of recordings) utterances.set(id, { id, audio });
  } else {
    const segFile = join(dataDir, 'segments');
    for (const { line, text } of numberedLines(files.segments)) {
      const fields = text.trim().split(/\s+/);
      if (fields.length !== 4) throw new ImportError(segFile, 'expected "<utterance> <recording> <start> <end>"', line);
      const [id, recId, start, end] = fields;
      const audio = recordings.get(recId);
      if (audio === undefined) throw new ImportError(segFile, `recording "${recId}" is not in wav.scp`, line);
      const startS = Number(start);
      const endS = Number(end);
      if (!Number.isFinite(startS) || startS < 0) throw new ImportError(segFile, `start "${start}" is not a time in seconds`, line);
      // Kaldi writes -1 for "to the end of the recording".
      if (!Number.isFinite(endS) || (endS !== -1 && endS < startS)) throw new ImportError(segFile, `end "${end}" is not a time after the start (or -1)`, line);
      if (utterances.has(id)) throw new ImportError(segFile, `utterance "${id}" is listed twice`, line);
      utterances.set(id, { id, audio, startS, ...(endS === -1 ? {} : { endS }) });
    }
  }

  if (files.text !== undefined) {
    const textFile = join(dataDir, 'text');
    for (const { line, text } of numberedLines(files.text)) {
      const [id, transcript] = splitKey(text);
      const utterance = utterances.get(id);
      if (!utterance) throw new ImportError(textFile, `utterance "${id}" is not in ${files.segments === undefined ? 'wav.scp' : 'segments'}`, line);
      utterance.text = transcript;
    }
  }
  return [...utterances.values()];
}

export async function importKaldiDataDir(dir: string, options: { guard: PathGuard }): Promise<Utterance[]> {
  const dataDir = guardAudio(options.guard, dir, dir, undefined, 'the Kaldi data folder');
  const optional = async (name: string) => ((await isFile(join(dataDir, name))) ? readText(join(dataDir, name), name) : undefined);
  const files: KaldiFiles = { wavScp: await readText(join(dataDir, 'wav.scp'), 'wav.scp') };
  const text = await optional('text');
  const segments = await optional('segments');
  if (text !== undefined) files.text = text;
  if (segments !== undefined) files.segments = segments;
  return parseKaldiDataDir(files, dataDir, options.guard);
}

/** "key rest of line" → [key, rest], rest trimmed (may be empty). */
function splitKey(line: string): [string, string] {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  return space < 0 ? [trimmed, ''] : [trimmed.slice(0, space), trimmed.slice(space + 1).trim()];
}
