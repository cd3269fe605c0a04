import { readdir, readFile, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { fsProblem } from '../session-error';
import { ImportError } from './import-error';

/** Reads a text file for an importer; every failure becomes an ImportError. */
export async function readText(path: string, what: string): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (err) {
    throw new ImportError(path, fsProblem(err, path, `reading ${what}`).problem, undefined, { cause: err });
  }
}

export async function readFolder(path: string): Promise<Dirent[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    throw new ImportError(path, fsProblem(err, path, 'listing the folder').problem, undefined, { cause: err });
  }
}

export async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Lines with their 1-based numbers, blank lines and trailing CRs dropped. */
export function numberedLines(text: string): { line: number; text: string }[] {
  return text
    .split('\n')
    .map((t, i) => ({ line: i + 1, text: t.replace(/\r$/, '') }))
    .filter((l) => l.text.trim() !== '');
}
