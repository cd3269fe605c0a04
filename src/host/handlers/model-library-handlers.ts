import { ApiError } from '@shared/protocol';
import { catalogListing, findEntry, archiveUrl, loadCatalog, CatalogError } from '@engine/models/catalog';
import { listingOf, listModels } from '@engine/models/model-folders';
import { pullModel, PullError } from '@engine/models/pull-model';
import { removeModel, RemoveError } from '@engine/models/remove-model';
import type { PullProgress } from '@shared/domain/models';
import type { ApiResult } from '@shared/api';
import type { Handlers } from '../dispatch';
import type { JobContext } from '../job-context';

const pulling = new Set<string>();

/** Engine errors of this domain keep their code across the contract (not-found, bad-archive, cancelled, …). */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PullError || error instanceof RemoveError || error instanceof CatalogError) throw new ApiError(error.code, error.message);
    throw error;
  }
}

/** A download reports every 64 KiB chunk; the page needs a few updates a second, and every phase change. */
function throttled(report: (p: PullProgress) => void, intervalMs = 100): (p: PullProgress) => void {
  let last = 0;
  let phase = '';
  return (p) => {
    const now = Date.now();
    if (p.phase === phase && now - last < intervalMs && p.done !== p.total) return;
    last = now;
    phase = p.phase;
    report(p);
  };
}

/** The models folders, the catalog of published models, and downloads into the user's folder. */
export const modelLibraryHandlers: Pick<Handlers, 'listModels' | 'listCatalog' | 'pullModel' | 'removeModel'> = {
  async listModels(_params, ctx) {
    const { models } = ctx.paths;
    return { models: await listModels(models, ctx.paths.modelDir), userDir: models.user, startDir: ctx.paths.modelDir };
  },

  listCatalog: (_params, ctx) =>
    guarded(async () => {
      const catalog = await loadCatalog(ctx.paths.catalog.file);
      return { models: catalogListing(catalog, ctx.paths.models, ctx.paths.catalog.baseUrl) };
    }),

  pullModel: ({ name }, ctx) =>
    guarded(async () => {
      // Two pulls of one name would write the same partial file.
      if (pulling.has(name)) throw new ApiError('busy', `${name} is already being downloaded`);
      pulling.add(name);
      try {
        return await pullOne(name, ctx);
      } finally {
        pulling.delete(name);
      }
    }),

  removeModel: ({ name }, ctx) => guarded(async () => ({ removed: await removeModel(ctx.paths.models.user, name) })),
};

/** Downloads and installs one catalog model into the user's folder. */
async function pullOne(name: string, ctx: JobContext): Promise<ApiResult<'pullModel'>> {
  const catalog = await loadCatalog(ctx.paths.catalog.file);
  const entry = findEntry(catalog, name);
  const result = await pullModel(entry, {
    modelsDir: ctx.paths.models.user,
    url: archiveUrl(catalog, entry, ctx.paths.catalog.baseUrl),
    signal: ctx.signal,
    onProgress: throttled((p) => ctx.progress(p.done, p.total, p.phase)),
  });
  return { listing: await listingOf(result.dir, 'user'), sha256: result.sha256, bytes: result.bytes, recordedHash: result.recordedHash, ...(result.warning ? { warning: result.warning } : {}) };
}
