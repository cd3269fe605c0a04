import { createWriteStream } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export class DownloadError extends Error {
  constructor(
    readonly code: 'not-found' | 'download-failed' | 'bad-size' | 'cancelled',
    message: string,
  ) {
    super(message);
  }
}

export interface DownloadOptions {
  /** The archive's size when the catalog knows it: a server that says otherwise is refused. */
  expectedBytes?: number | null;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

/** What a partial file was downloaded from: a resume asks the server for the rest of that same file. */
interface PartInfo {
  url: string;
  validator?: string;
  total?: number;
}

const infoPath = (part: string): string => `${part}.json`;

async function readPartInfo(part: string, url: string): Promise<{ bytes: number; info?: PartInfo }> {
  const bytes = (await stat(part).catch(() => undefined))?.size ?? 0;
  const info = (await readFile(infoPath(part), 'utf8').then((t) => JSON.parse(t) as PartInfo).catch(() => undefined)) ?? undefined;
  // Bytes of another URL, or of a file whose origin was not recorded, are not resumed.
  if (bytes > 0 && info?.url === url) return { bytes, info };
  return { bytes: 0 };
}

/** Total size from Content-Range (`bytes a-b/total`) or Content-Length. */
function totalOf(response: Response, offset: number): number | undefined {
  const range = response.headers.get('content-range');
  const fromRange = range ? Number(/\/(\d+)$/.exec(range)?.[1]) : NaN;
  if (Number.isFinite(fromRange)) return fromRange;
  const length = Number(response.headers.get('content-length') ?? NaN);
  return Number.isFinite(length) ? length + offset : undefined;
}

/**
 * Downloads `url` into `part`, resuming from the bytes already there (HTTP Range, guarded
 * by If-Range so a file that changed on the server starts over). The partial file stays on
 * cancel or failure, so the next try resumes. Returns the file's size once complete.
 */
export async function downloadResumable(url: string, part: string, options: DownloadOptions = {}): Promise<number> {
  const { signal, onProgress, expectedBytes } = options;
  const { bytes: have, info } = await readPartInfo(part, url);
  if (have === 0) await rm(part, { force: true });
  if (info?.total !== undefined && have === info.total) return have;
  const headers: Record<string, string> = {};
  if (have > 0) {
    headers.Range = `bytes=${have}-`;
    if (info?.validator) headers['If-Range'] = info.validator;
  }
  let response: Response;
  try {
    response = await fetch(url, { headers, signal, redirect: 'follow' });
  } catch (error) {
    if (signal?.aborted) throw new DownloadError('cancelled', 'the download was cancelled');
    throw new DownloadError('download-failed', `cannot reach ${url}: ${(error as Error).message}`);
  }
  if (response.status === 404) throw new DownloadError('not-found', `${url} was not found (HTTP 404): the catalog may name an archive that was withdrawn`);
  if (response.status === 416 && have > 0) {
    // The server has no bytes past ours: ours are all there is, or they are from a longer file; start over.
    await rm(part, { force: true });
    await rm(infoPath(part), { force: true });
    return downloadResumable(url, part, options);
  }
  if (response.status !== 200 && response.status !== 206) throw new DownloadError('download-failed', `${url} answered HTTP ${response.status} ${response.statusText}`);
  const resumed = response.status === 206;
  const offset = resumed ? have : 0;
  const total = totalOf(response, offset);
  if (expectedBytes && total !== undefined && total !== expectedBytes) {
    throw new DownloadError('bad-size', `${url} is ${total} bytes but the catalog says ${expectedBytes}: refusing it`);
  }
  const validator = response.headers.get('etag') ?? response.headers.get('last-modified') ?? undefined;
  await writeFile(infoPath(part), JSON.stringify({ url, validator, total } satisfies PartInfo));
  if (!response.body) throw new DownloadError('download-failed', `${url} sent no body`);

  let done = offset;
  const count = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      done += chunk.length;
      onProgress?.(done, total ?? 0);
      callback(null, chunk);
    },
  });
  onProgress?.(done, total ?? 0);
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), count, createWriteStream(part, { flags: resumed ? 'a' : 'w' }), { signal });
  } catch (error) {
    if (signal?.aborted) throw new DownloadError('cancelled', `the download was cancelled after ${done} bytes (it resumes from there)`);
    throw new DownloadError('download-failed', `the download of ${url} broke off after ${done} bytes (it resumes from there): ${(error as Error).message}`);
  }
  const size = (await stat(part)).size;
  const wanted = expectedBytes ?? total;
  if (wanted !== undefined && size !== wanted) {
    throw new DownloadError('bad-size', `${url}: got ${size} bytes of ${wanted} (run the pull again to resume)`);
  }
  return size;
}

/** Forgets a partial download (after it was used, or when it proved corrupt). */
export async function discardPart(part: string): Promise<void> {
  await Promise.all([rm(part, { force: true }), rm(infoPath(part), { force: true })]);
}
