import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { userModelsDir } from '@engine/models/models-home';
import type { HostPaths } from './job-context';

/**
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
  return {
    resourcesDir,
    demoFolder: join(resourcesDir, 'demo'),
    modelDir: resolve(env.EARSHOT_MODEL ?? join(resourcesDir, 'models', 'earshot-rnnt')),
    cacheDir: resolve(env.EARSHOT_CACHE ?? join(tmpdir(), 'earshot-cache')),
    models: { user: userModelsDir(env), shipped: join(resourcesDir, 'models') },
    catalog: { file: resolve(env.EARSHOT_CATALOG ?? join(resourcesDir, 'model-catalog.json')), baseUrl: env.EARSHOT_CATALOG_URL || undefined },
  };
}
