import { readdir, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';

/** What the peaks cache may hold on disk before the least recently used entries go. */
export const DEFAULT_PEAKS_CACHE_BYTES = 512 * 1024 * 1024;

/**
 * Marks a cache entry as just used. Its mtime is the LRU clock: access times are unreliable
 * (noatime, relatime mounts), and nothing else rewrites a finished entry.
 */
export async function touchCacheEntry(file: string): Promise<void> {
  const now = new Date();
  await utimes(file, now, now).catch(() => undefined);
}

/**
 * Removes the least recently used `.peaks` entries until the folder holds at most `maxBytes`;
 * `keep` (the entry just written or read) always stays. Entries another process removes
 * meanwhile are skipped. Returns the names removed.
 */
export async function prunePeaksCache(cacheDir: string, maxBytes: number, keep?: string): Promise<string[]> {
  const names = (await readdir(cacheDir).catch(() => [] as string[])).filter((n) => n.endsWith('.peaks'));
  const entries = (
    await Promise.all(
      names.map(async (name) => {
        const info = await stat(join(cacheDir, name)).catch(() => undefined);
        return info ? { name, bytes: info.size, usedMs: info.mtimeMs } : undefined;
      }),
    )
  ).filter((e) => e !== undefined);
  let total = entries.reduce((sum, e) => sum + e.bytes, 0);
  const removed: string[] = [];
  for (const entry of entries.sort((a, b) => a.usedMs - b.usedMs)) {
    if (total <= maxBytes) break;
    if (entry.name === keep) continue;
    await unlink(join(cacheDir, entry.name)).then(
      () => removed.push(entry.name),
      () => undefined,
    );
    total -= entry.bytes;
  }
  return removed;
}
