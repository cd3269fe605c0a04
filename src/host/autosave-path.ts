import { dirname, join, resolve } from 'node:path';
import type { HostPaths } from './job-context';

/**
 * Where a data set's session lives until the researcher saves it somewhere: annotations are
 * journaled beside it from the first one on, so a crash before any save loses none of them.
 */
export function autosavePath(paths: HostPaths, datasetId: string): string {
  return join(paths.cacheDir, 'autosave', `${datasetId}.session.json`);
}

/** True for any data set's autosave: once the work is in the researcher's own file, it must not be offered back. */
export function isAutosave(paths: HostPaths, file: string): boolean {
  return dirname(resolve(file)) === resolve(join(paths.cacheDir, 'autosave'));
}
