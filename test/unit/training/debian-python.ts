/**
 * The specs that run training/ code need Debian's Python with some modules (training/setup.sh installs
 * them). Without them they are skipped, saying why, so `npm test` passes on a machine without them.
 */
import { execFileSync } from 'node:child_process';

export const python = '/usr/bin/python3';

/** null when `python` can run `check` (Python source, e.g. 'import numpy'); else why `what` is skipped, also warned. */
export function pythonMissing(check: string, needs: string, what: string): string | null {
  try {
    execFileSync(python, ['-c', check], { stdio: 'ignore' });
    return null;
  } catch {
    const why = `${python} has no ${needs}: ${what} is skipped`;
    console.warn(why);
    return why;
  }
}
