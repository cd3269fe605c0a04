import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homedir, tmpdir } from 'node:os';
import { liveDataDir, userModelsDir } from '@engine/models/models-home';
import { chosenRoots } from './file-access';
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
 * The project root that holds resources/: the parent of the out/ (built) or src/ (sources)
 * folder this module was loaded from, however deep the bundler put its chunk.
 */
export function projectRootOf(moduleDir: string): string {
  for (let dir = moduleDir; dirname(dir) !== dir; dir = dirname(dir)) {
    if (basename(dir) === 'out' || basename(dir) === 'src') return dirname(dir);
  }
  return join(moduleDir, '..', '..');
}

/**
 * Where the host finds resources/ (EARSHOT_RESOURCES overrides it: a packaged app passes its own), its model and its cache.
 * EARSHOT_MODEL is the model a run starts with (`--model DIR` sets it); EARSHOT_MODELS_DIR,
 * EARSHOT_CATALOG and EARSHOT_CATALOG_URL move the user's models folder, the catalog file
 * and the base URL its archives download from; EARSHOT_LIVE_DIR the live microphone's data set.
 */
export function resolveHostPaths(env: NodeJS.ProcessEnv = process.env, here: string = fileURLToPath(new URL('.', import.meta.url))): HostPaths {
  const resourcesDir = resolve(env.EARSHOT_RESOURCES ?? join(projectRootOf(here), 'resources'));
  return {
    resourcesDir,
    demoFolder: join(resourcesDir, 'demo'),
    modelDir: resolve(env.EARSHOT_MODEL ?? join(resourcesDir, 'models', 'earshot-rnnt')),
    cacheDir: resolve(env.EARSHOT_CACHE ?? join(tmpdir(), 'earshot-cache')),
    models: { user: userModelsDir(env), shipped: join(resourcesDir, 'models') },
    catalog: { file: resolve(env.EARSHOT_CATALOG ?? join(resourcesDir, 'model-catalog.json')), baseUrl: env.EARSHOT_CATALOG_URL || undefined },
    liveDir: liveDataDir(env),
    documentsDir: documentsDir(env),
    // The folder browser's roots (`earshot serve --root`, EARSHOT_ROOTS): the user's own, without the app's folders.
    browseRoots: chosenRoots(env).map((r) => resolve(r)),
  };
}
