/**
 * Removes temporary files that an atomic write (atomic-write.ts) left behind when its process
 * was killed between creating and renaming them. A temp file is an orphan when the process
 * named in it is gone and it has not changed for a while: the age check keeps a write by a
 * live process on another machine (a shared folder, a cluster) safe from this one.
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;
const MIN_AGE_MS = 10 * 60 * 1000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The orphans removed from `dir` (none when the folder cannot be read); with `of`, only the
 * temp files of that one file name.
 */
export async function removeOrphanTemps(dir: string, options: { of?: string; now?: number } = {}): Promise<string[]> {
  const now = options.now ?? Date.now();
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || (options.of !== undefined && !name.startsWith(`.${options.of}.`))) continue;
    if (Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile() || now - info.mtimeMs < MIN_AGE_MS) continue;
    if (await unlink(path).then(() => true, () => false)) removed.push(path);
  }
  return removed;
}
