import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { modelNameSchema } from '../../shared/api';
import type { CatalogEntry, CatalogListing } from '../../shared/domain/models';
import { SUPPORTED_MODEL_TYPES, type EncoderModelType } from '../asr/encoder-state';
import type { ModelFolders } from './model-folders';

const entrySchema = z
  .object({
    name: modelNameSchema,
    archive: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.tar\.bz2$/, 'an archive is a plain file name ending in .tar.bz2'),
    archiveBytes: z.number().int().positive().nullable(),
    sizeNote: z.string().optional(),
    licence: z.string().nullable(),
    licenceNote: z.string().optional(),
    modelType: z.string().nullable(),
    languages: z.array(z.string()).min(1),
    source: z.string(),
    notes: z.string().optional(),
  })
  .strict();

const catalogSchema = z
  .object({
    format: z.literal('earshot-model-catalog'),
    version: z.literal(1),
    /** Archives are downloaded from baseUrl + archive. */
    baseUrl: z.string().url(),
    models: z.array(entrySchema),
  })
  .strict();

export type Catalog = z.output<typeof catalogSchema>;

export class CatalogError extends Error {
  readonly code = 'bad-catalog';
}

export async function loadCatalog(path: string): Promise<Catalog> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CatalogError(`cannot read the model catalog ${path}: ${(error as Error).message}`);
  }
  const parsed = catalogSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CatalogError(`the model catalog ${path} is malformed: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  const names = new Set<string>();
  for (const m of parsed.data.models) {
    if (names.has(m.name)) throw new CatalogError(`the model catalog ${path} lists "${m.name}" twice`);
    names.add(m.name);
  }
  return parsed.data;
}

/** Where the catalog is read from and where its archives download from (both overridable, for tests and mirrors). */
export interface CatalogSource {
  file: string;
  /** Replaces the catalog's own baseUrl when set. */
  baseUrl?: string;
}

export function archiveUrl(catalog: Catalog, entry: CatalogEntry, baseUrl?: string): string {
  const base = baseUrl ?? catalog.baseUrl;
  return new URL(entry.archive, base.endsWith('/') ? base : `${base}/`).href;
}

export function findEntry(catalog: Catalog, name: string): CatalogEntry {
  const entry = catalog.models.find((m) => m.name === name);
  if (!entry) throw new CatalogError(`"${name}" is not in the model catalog (it has ${catalog.models.map((m) => m.name).join(', ')})`);
  return entry;
}

export function catalogListing(catalog: Catalog, folders: ModelFolders, baseUrl?: string): CatalogListing[] {
  return catalog.models.map((entry) => ({
    ...entry,
    url: archiveUrl(catalog, entry, baseUrl),
    installed: existsSync(join(folders.user, entry.name)) || existsSync(join(folders.shipped, entry.name)),
    supported: entry.modelType !== null && SUPPORTED_MODEL_TYPES.includes(entry.modelType as EncoderModelType),
  }));
}
