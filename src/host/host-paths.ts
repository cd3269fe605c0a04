import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homedir, tmpdir } from 'node:os';
import type { HostPaths } from './job-context';

/**
 * Where the researcher's own files go by default: the documents folder (Electron passes the
 * platform's through EARSHOT_DOCUMENTS), never beside the app's resources.
 */
function documentsDir(env: NodeJS.ProcessEnv): string {
  if (env.EARSHOT_DOCUMENTS) return join(resolve(env.EARSHOT_DOCUMENTS), 'Earshot');
  const documents = join(homedir(), 'Documents');
  return join(existsSync(documents) ? documents : homedir(), 'Earshot');
}

/**
 * The built host lives in out/main/, two levels below the project root that holds
 * resources/. EARSHOT_RESOURCES overrides that (a packaged app passes its own).
 */
export function resolveHostPaths(env: NodeJS.ProcessEnv = process.env, here: string = fileURLToPath(new URL('.', import.meta.url))): HostPaths {
  const resourcesDir = resolve(env.EARSHOT_RESOURCES ?? join(here, '..', '..', 'resources'));
  return {
    resourcesDir,
    demoFolder: join(resourcesDir, 'demo'),
    modelDir: resolve(env.EARSHOT_MODEL ?? join(resourcesDir, 'models', 'earshot-rnnt')),
    cacheDir: resolve(env.EARSHOT_CACHE ?? join(tmpdir(), 'earshot-cache')),
    documentsDir: documentsDir(env),
    // The folder browser's roots (`earshot serve --root`), separated like PATH; the home folder by default.
    browseRoots: (env.EARSHOT_ROOTS ?? '').split(delimiter).filter(Boolean).map((r) => resolve(r)).concat(env.EARSHOT_ROOTS ? [] : [homedir()]),
  };
}
