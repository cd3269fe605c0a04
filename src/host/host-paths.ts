import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import type { HostPaths } from './job-context';

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
  };
}
