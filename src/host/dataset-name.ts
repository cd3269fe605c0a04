import { basename, dirname, extname } from 'node:path';

/** Files whose own name says nothing about the data: the folder that holds them names it. */
const GENERIC = new Set(['manifest', 'manifest.jsonl', 'manifest.json', 'wav.scp', 'text', 'segments', 'session', 'session.json', 'session.earshot.json']);

/**
 * What the sidebar calls a data set: the folder's name, the manifest's name without its
 * extension, or the folder of a manifest with a generic name ("demo" for demo/manifest.jsonl).
 */
export function datasetName(source: string, isFolder: boolean): string {
  const trimmed = source.replace(/[\\/]+$/, '');
  if (isFolder) return basename(trimmed) || trimmed;
  const file = basename(trimmed);
  if (GENERIC.has(file.toLowerCase())) return basename(dirname(trimmed)) || file;
  return file.replace(/\.earshot\.json$/i, '').replace(new RegExp(`${extname(file).replace('.', '\\.')}$`), '') || file;
}
