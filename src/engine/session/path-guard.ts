import { isAbsolute, relative, resolve, sep } from 'node:path';
import { SessionError } from './session-error';

/**
 * Refuses paths outside the folders the user opened. The check is on the resolved path
 * (".." and absolute paths cannot escape), not on symlink targets: data sets often link
 * to corpora stored elsewhere, and the user chose to open the folder holding the link.
 */
export class PathGuard {
  readonly roots: readonly string[];

  constructor(roots: readonly string[]) {
    this.roots = roots.map((r) => resolve(r));
  }

  /**
   * The resolved path, or a SessionError naming it and the opened folders.
   * `what` says what the path is for, e.g. "audio referenced on line 3".
   */
  check(path: string, what: string): string {
    const target = resolve(path);
    if (this.roots.some((root) => isInside(root, target))) return target;
    const opened = this.roots.length ? this.roots.join(', ') : '(no folder opened)';
    throw new SessionError('outside-roots', target, `${what} is outside the folders you opened (${opened}); open its folder first`);
  }
}

function isInside(root: string, target: string): boolean {
  const fold = process.platform === 'win32' || process.platform === 'darwin';
  const rel = fold ? relative(root.toLowerCase(), target.toLowerCase()) : relative(root, target);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}
