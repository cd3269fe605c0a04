import { readFile } from 'node:fs/promises';
import type { ContextEntry } from '@shared/api';
import { parseContextList } from '@engine/bias/context-list';

/** The --context list (one phrase a line, optional `: boost`), with a message naming a missing file. */
export async function readContextOption(path: string | undefined): Promise<ContextEntry[]> {
  if (path === undefined) return [];
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    const why = error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'it is a folder, not a list' : error.code === 'EACCES' ? 'permission denied' : error.message;
    throw new Error(`--context ${path}: cannot read the biasing list (${why})`);
  });
  return parseContextList(text);
}
