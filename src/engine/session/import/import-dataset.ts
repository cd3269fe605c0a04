import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Utterance } from '../../../shared/domain/session';
import type { PathGuard } from '../path-guard';
import { fsProblem } from '../session-error';
import { importEarshotManifest } from './earshot-manifest';
import { guardAudio } from './guard-audio';
import { ImportError } from './import-error';
import { importKaldiDataDir } from './kaldi-data-dir';
import { findTranscripts, importLibriSpeech } from './librispeech';
import { importNemoManifest } from './nemo-manifest';
import { isFile, numberedLines, readText } from './read-text';
import { AUDIO_EXTENSIONS, importSidecarFolder, sidecarText } from './sidecar-folder';
import { stem } from './utterance-fields';

export type DatasetKind = 'nemo' | 'earshot' | 'kaldi' | 'librispeech' | 'sidecar' | 'audio-file';

/**
 * What kind of input `path` is: a JSONL manifest (NeMo if its first entry has
 * `audio_filepath`, else Earshot's), a Kaldi data dir (has wav.scp), a LibriSpeech tree
 * (has *.trans.txt), a folder of audio, or one audio file.
 */
export async function detectDataset(path: string, options: { guard: PathGuard }): Promise<DatasetKind> {
  const target = guardAudio(options.guard, path, path, undefined, 'the input');
  const info = await stat(target).catch((err: unknown) => {
    throw new ImportError(target, fsProblem(err, target, 'opening the input').problem);
  });
  if (info.isDirectory()) {
    if (await isFile(join(target, 'wav.scp'))) return 'kaldi';
    if ((await findTranscripts(target, 4)).length) return 'librispeech';
    return 'sidecar';
  }
  if (AUDIO_EXTENSIONS.test(target)) return 'audio-file';
  if (/\.(jsonl|json)$/i.test(target)) {
    const first = numberedLines(await readText(target, 'the manifest'))[0];
    return first && /"audio_filepath"\s*:/.test(first.text) ? 'nemo' : 'earshot';
  }
  throw new ImportError(target, 'is not a manifest (.jsonl), a data folder or an audio file');
}

/** A folder's own manifest, read in place of its audio files: it carries the references. */
export const FOLDER_MANIFEST = 'manifest.jsonl';

/** Imports any supported input as utterances; a folder holding a manifest.jsonl is read through it. */
export async function importDataset(path: string, options: { guard: PathGuard }): Promise<{ kind: DatasetKind; utterances: Utterance[] }> {
  const manifest = join(path, FOLDER_MANIFEST);
  if ((await stat(path).catch(() => undefined))?.isDirectory() && (await isFile(manifest))) return importDataset(manifest, options);
  const kind = await detectDataset(path, options);
  const target = guardAudio(options.guard, path, path, undefined, 'the input');
  switch (kind) {
    case 'nemo':
      return { kind, utterances: await importNemoManifest(target, options) };
    case 'earshot':
      return { kind, utterances: await importEarshotManifest(target, options) };
    case 'kaldi':
      return { kind, utterances: await importKaldiDataDir(target, options) };
    case 'librispeech':
      return { kind, utterances: await importLibriSpeech(target, options) };
    case 'sidecar':
      return { kind, utterances: await importSidecarFolder(target, options) };
    case 'audio-file':
      return { kind, utterances: [await importAudioFile(target)] };
  }
}

async function importAudioFile(path: string): Promise<Utterance> {
  const base = join(dirname(path), stem(path));
  for (const sidecar of [`${base}.txt`, `${base}.lab`]) {
    if (await isFile(sidecar)) return { id: stem(path), audio: path, text: sidecarText(await readText(sidecar, 'the transcript')) };
  }
  return { id: stem(path), audio: path };
}
