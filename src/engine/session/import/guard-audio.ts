import type { PathGuard } from '../path-guard';
import { SessionError } from '../session-error';
import { ImportError } from './import-error';

/** The guarded absolute path, or an ImportError naming the manifest line that referenced it. */
export function guardAudio(guard: PathGuard, path: string, file: string, line?: number, what = 'the audio file'): string {
  try {
    return guard.check(path, `${what} ${path}`);
  } catch (err) {
    if (err instanceof SessionError) throw new ImportError(file, err.problem, line);
    throw err;
  }
}
