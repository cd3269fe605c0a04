import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The folder browser's root check: the real path (symlinks followed, so a link cannot lead
 * out) when it lies in one of the roots the user allowed, else null.
 * To be replaced by the hardening work's single path guard for file routes once it lands.
 */
export async function withinRoots(path: string, roots: readonly string[]): Promise<string | null> {
  const real = await realpath(resolve(path)).catch(() => null);
  if (!real) return null;
  for (const root of roots) {
    const realRoot = await realpath(root).catch(() => null);
    if (!realRoot) continue;
    const rel = relative(realRoot, real);
    if (rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`))) return real;
  }
  return null;
}
