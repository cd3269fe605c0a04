import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { CatalogListing, ModelListing } from '@shared/domain/models';
import { archiveUrl, catalogListing, findEntry, loadCatalog } from '@engine/models/catalog';
import { listModels } from '@engine/models/model-folders';
import { pullModel } from '@engine/models/pull-model';
import { removeModel } from '@engine/models/remove-model';
import { resolveHostPaths } from '../../host/host-paths';
import { progressBar } from '../progress';
import { interruptSignal } from '../interrupt';

export const modelsUsage = `earshot models list | pull NAME | remove NAME [--catalog FILE] [--catalog-url URL] [--models-dir DIR]
  list: the catalog of published streaming transducers (type, languages, licence, size) and
  the installed models; pull: downloads one into the models folder (resumes after Ctrl-C or a
  broken connection, checks size, sha256, the archive's listing and the model's files, and
  installs it whole or not at all); remove: deletes a downloaded model.
  (--models-dir, else EARSHOT_MODELS_DIR, else the platform's data folder: $XDG_DATA_HOME/earshot/models;
   --catalog-url replaces the catalog's download base URL, as EARSHOT_CATALOG_URL does.)`;

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function catalogLines(models: CatalogListing[]): string[] {
  return models.map((m) => {
    const size = m.archiveBytes === null ? 'size unknown' : mib(m.archiveBytes);
    const state = m.installed ? 'installed' : m.supported ? 'available' : 'not decodable yet';
    return `  ${m.name}\n      ${m.modelType ?? 'type unconfirmed'} · ${m.languages.join('+')} · ${m.licence ?? 'licence not stated'} · ${size} · ${state}`;
  });
}

function installedLines(models: ModelListing[]): string[] {
  return models.map((m) => {
    const what = m.summary ? `${m.summary.modelType} · ${m.summary.vocabSize} tokens · ${m.summary.chunkMs} ms chunks` : `does not load: ${m.problem}`;
    return `  ${m.name} (${m.source}, ${mib(m.sizeBytes)})\n      ${what}\n      ${m.dir}`;
  });
}

export async function modelsCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { catalog: { type: 'string' }, 'catalog-url': { type: 'string' }, 'models-dir': { type: 'string' } },
  });
  const paths = resolveHostPaths();
  const folders = { ...paths.models, ...(values['models-dir'] ? { user: resolve(values['models-dir']) } : {}) };
  const catalogFile = values.catalog ? resolve(values.catalog) : paths.catalog.file;
  const baseUrl = values['catalog-url'] ?? paths.catalog.baseUrl;
  const [action, name, ...extra] = positionals;
  if (extra.length > 0 || !action) throw new Error(`usage: ${modelsUsage}`);

  if (action === 'list') {
    const catalog = await loadCatalog(catalogFile);
    console.log(`Catalog (${catalogFile}, downloads from ${baseUrl ?? catalog.baseUrl}):`);
    console.log(catalogLines(catalogListing(catalog, folders, baseUrl)).join('\n'));
    console.log(`\nInstalled (${folders.user} and ${folders.shipped}):`);
    console.log(installedLines(await listModels(folders)).join('\n') || '  none');
    return;
  }
  if (!name) throw new Error(`earshot models ${action} needs a model NAME\n\nusage: ${modelsUsage}`);
  if (action === 'pull') {
    const catalog = await loadCatalog(catalogFile);
    const entry = findEntry(catalog, name);
    const url = archiveUrl(catalog, entry, baseUrl);
    const bars = { download: progressBar('download (MiB)'), verify: progressBar('verify (MiB)'), extract: progressBar('unpack (MiB)') };
    const signal = interruptSignal();
    console.error(`pull: ${url}`);
    try {
      const result = await pullModel(entry, {
        modelsDir: folders.user,
        url,
        signal,
        onProgress: (p) => bars[p.phase].update(Math.round(p.done / 1048576), Math.round(p.total / 1048576)),
      });
      for (const bar of Object.values(bars)) bar.stop();
      console.log(`installed ${entry.name} → ${result.dir} (${mib(result.bytes)}, sha256 ${result.sha256}${result.recordedHash ? ', recorded' : ', as recorded at its first download'})`);
      if (result.warning) console.error(`warning: ${result.warning}`);
    } finally {
      for (const bar of Object.values(bars)) bar.stop();
    }
    return;
  }
  if (action === 'remove') {
    console.log(`removed ${await removeModel(folders.user, name)}`);
    return;
  }
  throw new Error(`unknown models action "${action}"\n\nusage: ${modelsUsage}`);
}
