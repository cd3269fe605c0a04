import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SessionError } from './session-error';

/** More links than this in one path is a loop (Linux's own limit is 40). */
const MAX_LINKS = 40;

/**
 * Refuses paths outside the folders the user opened or allowed. Symlinks are resolved before
 * the check, so a link inside an opened folder cannot reach a file outside every root; a data
 * set that links to a corpus elsewhere needs that corpus's folder among the roots too.
 * Callers read and write the path `check` returns, never the one they were given.
 */
export interface GuardWording {
  /** What the roots are to the user, e.g. "the folders you opened". */
  folders: string;
  /** What to do about a refused path, e.g. "open its folder first". */
  advice: string;
}

export class PathGuard {
  readonly roots: readonly string[];

  constructor(
    roots: readonly string[],
    private readonly wording: GuardWording = { folders: 'the folders you opened', advice: 'open its folder first' },
  ) {
    const real = [...new Set(roots.map((r) => realPathOf(r)))];
    // A root inside another adds nothing but length to the error message.
    this.roots = real.filter((root) => !real.some((other) => other !== root && isInside(other, root)));
  }

  /**
   * The real path (links resolved), or a SessionError naming it and the opened folders.
   * `what` says what the path is for, e.g. "audio referenced on line 3".
   */
  check(path: string, what: string): string {
    const { written, real, inside } = this.locate(path);
    if (inside) return real;
    const roots = this.roots.length ? this.roots.join(', ') : 'none';
    const via = real === written ? '' : ` (it links to ${real})`;
    throw new SessionError('outside-roots', written, `${what}${via} is outside ${this.wording.folders} (${roots}); ${this.wording.advice}`);
  }

  /** Where a path really leads and whether that is inside a root; for listings that skip rather than fail. */
  locate(path: string): { written: string; real: string; inside: boolean } {
    const written = resolve(path);
    const real = realPathOf(written);
    return { written, real, inside: this.roots.some((root) => isInside(root, real)) };
  }
}

/**
 * The absolute path with every symlink resolved. The tail that does not exist yet (an
 * output about to be written) is kept as written; a dangling link is followed to where it
 * points, so creating its target later cannot move the path outside a root.
 */
export function realPathOf(path: string, links = 0): string {
  const absolute = resolve(path);
  const rest: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      return join(realpathSync.native(existing), ...rest.reverse());
    } catch {
      const link = danglingLink(existing);
      if (link !== undefined && links < MAX_LINKS) return realPathOf(join(resolve(dirname(existing), link), ...rest.reverse()), links + 1);
      const parent = dirname(existing);
      if (parent === existing) return absolute;
      rest.push(basename(existing));
      existing = parent;
    }
  }
}

function danglingLink(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

function isInside(root: string, target: string): boolean {
  const fold = process.platform === 'win32' || process.platform === 'darwin';
  const rel = fold ? relative(root.toLowerCase(), target.toLowerCase()) : relative(root, target);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}
