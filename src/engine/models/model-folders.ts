import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ModelInfo } from '../../shared/domain/workbench';
import type { ModelListing, ModelSummary } from '../../shared/domain/models';
import { describeModel } from '../asr/model-info';
import { folderBytes } from './model-hash';
import { isLanguageModelDir } from '../lm/load-language-model';

/** Where models are looked for: the user's folder (downloads land there) and the shipped one. */
export interface ModelFolders {
  user: string;
  shipped: string;
}

function fbankShiftMs(info: ModelInfo): number {
  const shift = Number(info.features.frame_shift_ms ?? info.features.frameShift ?? 10);
  return Number.isFinite(shift) && shift > 0 ? shift : 10;
}

/** The picker's line about a model, from what the runtime reads (model.json or the ONNX metadata). */
export function summarizeModel(info: ModelInfo): ModelSummary {
  const earshot = info.format === 'earshot-rnnt';
  return {
    name: info.name,
    format: info.format,
    modelType: info.modelType,
    variants: info.variants,
    vocabSize: info.vocabSize,
    // decode_chunk_len counts fbank frames (10 ms unless the model's features say otherwise).
    chunkMs: info.chunk.decodeChunkLen * fbankShiftMs(info),
    chunk: { T: info.chunk.T, decodeChunkLen: info.chunk.decodeChunkLen },
    features: info.features,
    sparsity: earshot ? info.sparsityOverall : null,
    biasing: earshot ? { attention: info.hasAttentionBias, endOfQuery: info.hasEndOfQuery } : null,
    ...(info.hasEndOfQuery && info.eoqThreshold !== null ? { eoqThreshold: info.eoqThreshold } : {}),
    ...(info.decoding.lm ? { lm: { weight: info.decoding.lm.weight, tokenBonus: info.decoding.lm.tokenBonus } } : {}),
  };
}

/** One folder as the picker lists it: a model, or the reason it does not load. */
export async function listingOf(dir: string, source: ModelListing['source']): Promise<ModelListing> {
  const listing: ModelListing = { dir, name: basename(dir), source, sizeBytes: await folderBytes(dir) };
  try {
    return { ...listing, summary: summarizeModel(describeModel(dir)) };
  } catch (error) {
    return { ...listing, problem: error instanceof Error ? error.message : String(error) };
  }
}

async function subfolders(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  // Dot-folders are the downloader's own (partial archives, extractions under way); a language model (lm.json)
  // is not a recogniser and is found by the rescoring instead.
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => join(dir, e.name))
    .filter((d) => !isLanguageModelDir(d))
    .sort();
}

/**
 * Every model of both folders, the user's first; `given` (a `--model DIR` outside them) is
 * listed too, so the model a run started with is always one of the choices.
 */
export async function listModels(folders: ModelFolders, given?: string): Promise<ModelListing[]> {
  const user = await subfolders(folders.user);
  const shipped = await subfolders(folders.shipped);
  const dirs: Array<[string, ModelListing['source']]> = [...user.map((d) => [d, 'user'] as [string, 'user']), ...shipped.map((d) => [d, 'shipped'] as [string, 'shipped'])];
  if (given && !dirs.some(([d]) => d === resolve(given)) && existsSync(given)) dirs.push([resolve(given), 'given']);
  return Promise.all(dirs.map(([d, source]) => listingOf(d, source)));
}
