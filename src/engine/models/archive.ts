import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import bz2 from 'unbzip2-stream';
import { x as untar, type ReadEntry } from 'tar';

export class ArchiveError extends Error {
  readonly code = 'bad-archive';
}

export interface ExtractOptions {
  signal?: AbortSignal;
  /** Compressed bytes read so far, of the archive's size. */
  onProgress?(done: number, total: number): void;
}

/** Why an entry may not be extracted, if it may not: only plain files and folders below one top folder. */
function entryProblem(path: string, type: string, top: string | undefined): string | undefined {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return `${path}: an absolute path`;
  if (parts.includes('..')) return `${path}: a path that climbs out of the archive`;
  if (type !== 'File' && type !== 'OldFile' && type !== 'Directory') return `${path}: a ${type} entry (only files and folders are extracted)`;
  if (top !== undefined && parts[0] !== top) return `${path}: outside the archive's top folder "${top}"`;
  return undefined;
}

/**
 * Extracts a .tar.bz2 that holds one top folder into `dest` (the top folder's contents land
 * directly in it), checking every entry of the listing as it streams by. A bzip2 CRC error,
 * a truncated tar or a refused entry fails the whole extraction; the caller removes `dest`.
 * Returns the extracted files, relative to `dest`.
 */
export async function extractTarBz2(archive: string, dest: string, options: ExtractOptions = {}): Promise<string[]> {
  await mkdir(dest, { recursive: true });
  const total = (await stat(archive)).size;
  let read = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      read += chunk.length;
      options.onProgress?.(read, total);
      callback(null, chunk);
    },
  });
  let top: string | undefined;
  const problems: string[] = [];
  const files: string[] = [];
  const unpack = untar({
    cwd: dest,
    strip: 1,
    strict: true,
    preservePaths: false,
    filter: (path: string, entry: unknown) => {
      const type = (entry as ReadEntry).type;
      top ??= path.split('/').filter((p) => p !== '' && p !== '.')[0];
      const problem = entryProblem(path, type, top);
      if (problem) problems.push(problem);
      else if (type !== 'Directory') files.push(path.split('/').filter((p) => p !== '' && p !== '.').slice(1).join('/'));
      return problem === undefined;
    },
  });
  try {
    await pipeline(createReadStream(archive), counter, bz2(), unpack, { signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ArchiveError(`${archive} is not a valid .tar.bz2: ${(error as Error).message}`);
  }
  if (problems.length > 0) throw new ArchiveError(`${archive} has entries Earshot will not extract: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
  if (files.length === 0) throw new ArchiveError(`${archive} holds no files`);
  return files.filter((f) => f !== '');
}

/**
 * What a transducer model folder must hold before it is installed: tokens.txt and the three
 * graphs (sherpa-onnx names them encoder*.onnx, decoder*.onnx, joiner*.onnx), or Earshot's model.json.
 */
export function missingModelFiles(dir: string): string[] {
  if (existsSync(join(dir, 'model.json'))) return existsSync(join(dir, 'tokens.txt')) ? [] : ['tokens.txt'];
  const names = readdirSync(dir);
  const missing = names.includes('tokens.txt') ? [] : ['tokens.txt'];
  for (const role of ['encoder', 'decoder', 'joiner']) {
    if (!names.some((n) => n.startsWith(role) && n.endsWith('.onnx'))) missing.push(`${role}*.onnx`);
  }
  return missing;
}
