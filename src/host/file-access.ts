import { homedir } from 'node:os';
import { delimiter } from 'node:path';
import { ApiError } from '@shared/protocol';
import { PathGuard } from '@engine/session/path-guard';
import { SessionError } from '@engine/session/session-error';
import type { HostPaths } from './job-context';

/** The folders the user allows Earshot to read and write, separated as in PATH; `earshot serve --root` sets it. */
export const ROOTS_ENV = 'EARSHOT_ROOTS';

/**
 * The roots every file route and API stays inside: the folders the user allowed
 * (EARSHOT_ROOTS, else the home folder) plus the app's own (resources, model, cache, models, live data set).
 */
/** The folders the user allowed (EARSHOT_ROOTS, `earshot serve --root`), else the home folder. */
export function chosenRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  const chosen = (env[ROOTS_ENV] ?? '').split(delimiter).filter((r) => r.trim() !== '');
  return chosen.length ? chosen : [homedir()];
}

export function allowedRoots(paths: Pick<HostPaths, 'resourcesDir' | 'modelDir' | 'cacheDir' | 'models' | 'liveDir'>, env: NodeJS.ProcessEnv = process.env): string[] {
  return [...chosenRoots(env), paths.resourcesDir, paths.modelDir, paths.cacheDir, paths.models.user, paths.liveDir];
}

/**
 * The one path check of the engine host, the browser shell's media route and Electron's
 * media protocol. Every path that arrives through the API is checked here (symlinks
 * resolved) before anything reads or writes it, and handlers use the path it returns.
 */
export class FileAccess {
  private roots: string[];
  private current: PathGuard;

  constructor(roots: readonly string[]) {
    this.roots = [...roots];
    this.current = guardOver(this.roots);
  }

  /** Adds a folder the user chose through a trusted channel (a native dialog, a command-line flag). */
  allow(root: string): void {
    this.roots.push(root);
    this.current = guardOver(this.roots);
  }

  /** The guard for engine functions that check the paths they derive (manifest lines, exports). */
  guard(): PathGuard {
    return this.current;
  }

  /** The real path of `path`, or an ApiError `outside-roots` that says which roots there are. */
  check(path: string, what: string): string {
    try {
      return this.current.check(path, what);
    } catch (error) {
      if (error instanceof SessionError) throw new ApiError(error.code, error.message);
      throw error;
    }
  }
}

function guardOver(roots: readonly string[]): PathGuard {
  return new PathGuard(roots, { folders: 'the folders Earshot may open', advice: `allow its folder first (earshot serve --root FOLDER, or ${ROOTS_ENV})` });
}
