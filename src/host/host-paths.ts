import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { userModelsDir } from '@engine/models/models-home';
import type { HostPaths } from './job-context';

/**
 * `here` is the folder of the built entry (out/main/, two levels below the project root that
 * holds resources/): each entry passes its own, since this module may be bundled into a shared
 * chunk elsewhere. EARSHOT_RESOURCES overrides it (a packaged app passes its own).
 * EARSHOT_MODEL is the model a run starts with (`--model DIR` sets it); EARSHOT_MODELS_DIR,
 * EARSHOT_CATALOG and EARSHOT_CATALOG_URL move the user's models folder, the catalog file
 * and the base URL its archives download from.
 */
export function resolveHostPaths(here: string, env: NodeJS.ProcessEnv = process.env): HostPaths {
  const resourcesDir = resolve(env.EARSHOT_RESOURCES ?? join(here, '..', '..', 'resources'));
  return {
    resourcesDir,
    demoFolder: join(resourcesDir, 'demo'),
    modelDir: resolve(env.EARSHOT_MODEL ?? join(resourcesDir, 'models', 'earshot-rnnt')),
    cacheDir: resolve(env.EARSHOT_CACHE ?? join(tmpdir(), 'earshot-cache')),
    models: { user: userModelsDir(env), shipped: join(resourcesDir, 'models') },
    catalog: { file: resolve(env.EARSHOT_CATALOG ?? join(resourcesDir, 'model-catalog.json')), baseUrl: env.EARSHOT_CATALOG_URL || undefined },
  };
}
