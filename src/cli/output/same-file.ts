import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';

/** The canonical path of a file (symlinks resolved) or, when it does not exist, its absolute path. */
export async function canonicalPath(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

/** Refuses an output that is one of the run's own inputs (a manifest, a recording, a session). */
export async function refuseInputAsOutput(out: string, inputs: readonly string[]): Promise<void> {
  const target = await canonicalPath(out);
  for (const input of inputs) {
    if ((await canonicalPath(input)) === target) throw new Error(`--out ${out} is one of this run's inputs; choose another output file (nothing was written)`);
  }
}
