import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CatalogEntry, PullProgress } from '../../shared/domain/models';
import { resolveModelDir } from '../asr/model-dir';
import { sha256File } from '../session/file-hash';
import { ArchiveError, extractTarBz2, missingModelFiles } from './archive';
import { ArchiveHashes } from './archive-hashes';
import { discardPart, DownloadError, downloadResumable } from './download';

export interface PullOptions {
  /** The user's models folder: the model lands in <modelsDir>/<name>. */
  modelsDir: string;
  url: string;
  signal?: AbortSignal;
  onProgress?(progress: PullProgress): void;
}

export interface PullResult {
  dir: string;
  sha256: string;
  bytes: number;
  /** True when this download recorded the archive's sha256 (its first). */
  recordedHash: boolean;
  /** Set when the model installed but Earshot's runtime cannot decode it (an unsupported model type). */
  warning?: string;
}

export class PullError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where downloads keep their partial archives and the recorded hashes. */
export const downloadsDir = (modelsDir: string): string => join(modelsDir, '.downloads');

/**
 * Downloads a catalog model and installs it: resumable download, size check, sha256 against
 * the one recorded at its first download, extraction into a temporary folder beside the target
 * with the listing and the required files checked, then one atomic rename. A half-extracted
 * model never appears under its name; a cancelled download keeps its bytes for the next try.
 */
export async function pullModel(entry: CatalogEntry, options: PullOptions): Promise<PullResult> {
  const { modelsDir, url, signal, onProgress } = options;
  const target = join(modelsDir, entry.name);
  if (existsSync(target)) throw new PullError('already-installed', `${entry.name} is already installed in ${target}: remove it first to download it again`);
  const downloads = downloadsDir(modelsDir);
  await mkdir(downloads, { recursive: true });
  const part = join(downloads, `${entry.archive}.part`);

  const bytes = await downloadResumable(url, part, {
    expectedBytes: entry.archiveBytes,
    signal,
    onProgress: (done, total) => onProgress?.({ phase: 'download', done, total }),
  }).catch(rethrowAs);

  onProgress?.({ phase: 'verify', done: 0, total: bytes });
  const sha256 = await sha256File(part);
  const hashes = new ArchiveHashes(join(downloads, 'sha256.json'));
  const recorded = await hashes.get(entry.name);
  if (recorded && recorded.sha256 !== sha256) {
    await discardPart(part);
    throw new PullError(
      'bad-archive',
      `${entry.archive} has sha256 ${sha256}, but the copy first downloaded on ${recorded.recordedAt} had ${recorded.sha256}: the archive changed or is damaged, so it was not installed`,
    );
  }
  onProgress?.({ phase: 'verify', done: bytes, total: bytes });

  const temp = join(modelsDir, `.extract-${entry.name}-${randomBytes(4).toString('hex')}`);
  let warning: string | undefined;
  try {
    await extractTarBz2(part, temp, { signal, onProgress: (done, total) => onProgress?.({ phase: 'extract', done, total }) });
    const missing = missingModelFiles(temp);
    if (missing.length > 0) throw new ArchiveError(`${entry.archive} unpacked without ${missing.join(', ')}: it is not a transducer model`);
    try {
      resolveModelDir(temp);
    } catch (error) {
      warning = `installed, but Earshot cannot decode it: ${(error as Error).message.replaceAll(temp, target)}`;
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (signal?.aborted) throw new PullError('cancelled', 'the pull was cancelled while unpacking; the downloaded archive is kept');
    if (error instanceof ArchiveError) {
      // A complete archive that does not unpack will not get better by resuming it.
      await discardPart(part);
      throw new PullError(error.code, error.message);
    }
    throw error;
  }
  if (!recorded) await hashes.record(entry.name, { url, sha256, bytes, recordedAt: new Date().toISOString() });
  await discardPart(part);
  return { dir: target, sha256, bytes, recordedHash: !recorded, ...(warning ? { warning } : {}) };
}

function rethrowAs(error: unknown): never {
  if (error instanceof DownloadError) throw new PullError(error.code, error.message);
  throw error;
}
