/**
 * Replace a file so that a crash at any instant leaves either the old or the new complete
 * file: write a temporary file in the same folder (rename is atomic only within one file
 * system), fsync it, rename it over the target, then fsync the folder so the rename itself
 * is durable. Depends on nothing but Node, so the crash test can load it in a child process.
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Writes `path` atomically with whatever `fill` writes into the open temporary file. */
export async function withAtomicFile(path: string, fill: (file: FileHandle) => Promise<void>): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const file = await open(temp, 'wx');
  let renamed = false;
  try {
    try {
      await fill(file);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
    renamed = true;
    await syncFolder(dir);
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await withAtomicFile(path, async (file) => {
    await file.writeFile(data);
  });
}

/** fsync a folder so a rename in it survives power loss; Windows cannot open folders, and needs not. */
async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    await handle?.close();
  }
}
