import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { sha256File } from '../session/file-hash';

interface FileStat {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Every file below `dir` (hidden ones too: they are part of what loads), in a stable order. */
export async function filesBelow(dir: string): Promise<FileStat[]> {
  const out: FileStat[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const s = await stat(path);
        out.push({ path, size: s.size, mtimeMs: s.mtimeMs });
      }
    }
  };
  await walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export async function folderBytes(dir: string): Promise<number> {
  return (await filesBelow(dir)).reduce((n, f) => n + f.size, 0);
}

/** Hashes by folder, kept while no file's size or mtime changes: a 300 MB model is hashed once. */
const cache = new Map<string, { signature: string; sha256: Promise<string> }>();

/**
 * sha256 over the folder's files: each file's path (relative, with /) and its own sha256.
 * Two copies of a model in different places hash the same; any changed byte changes it.
 */
export async function modelContentHash(dir: string): Promise<string> {
  const files = await filesBelow(dir);
  const signature = files.map((f) => `${f.path}:${f.size}:${f.mtimeMs}`).join('\n');
  const cached = cache.get(dir);
  if (cached?.signature === signature) return cached.sha256;
  const sha256 = (async () => {
    const hash = createHash('sha256');
    for (const f of files) hash.update(`${relative(dir, f.path).split(sep).join('/')}\0${await sha256File(f.path)}\n`);
    return hash.digest('hex');
  })();
  cache.set(dir, { signature, sha256 });
  sha256.catch(() => cache.delete(dir));
  return sha256;
}
