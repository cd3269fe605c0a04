import { createWriteStream } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

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
function totalOf(response: IncomingMessage, offset: number): number | undefined {
  const range = response.headers['content-range'];
  const fromRange = range ? Number(/\/(\d+)$/.exec(range)?.[1]) : NaN;
  if (Number.isFinite(fromRange)) return fromRange;
  const length = Number(response.headers['content-length'] ?? NaN);
  return Number.isFinite(length) ? length + offset : undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A GET that follows redirects (release archives redirect to a storage host). */
function get(url: string, headers: Record<string, string>, signal: AbortSignal | undefined, redirectsLeft = 5): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.get(url, { headers, signal }, (response) => {
      const location = response.headers.location;
      if (response.statusCode && REDIRECTS.has(response.statusCode) && location) {
        response.resume();
        if (redirectsLeft === 0) reject(new Error('too many redirects'));
        else resolve(get(new URL(location, url).href, headers, signal, redirectsLeft - 1));
        return;
      }
      resolve(response);
    });
    request.on('error', reject);
  });
}

/**
 * Appends the response body to `part`, keeping every byte that arrived when the connection
 * breaks (what was written is flushed before this settles).
 */
function receive(response: IncomingMessage, part: string, append: boolean, signal: AbortSignal | undefined, onChunk: (bytes: number) => void): Promise<void> {
  const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
  const body = new Promise<void>((resolve, reject) => {
    const abort = (): void => {
      response.destroy();
      reject(new Error('cancelled'));
    };
    signal?.addEventListener('abort', abort, { once: true });
    response.on('data', (chunk: Buffer) => {
      onChunk(chunk.length);
      if (!out.write(chunk)) {
        response.pause();
        out.once('drain', () => response.resume());
      }
    });
    response.once('end', () => (response.complete ? resolve() : reject(new Error('the connection closed early'))));
    response.once('error', reject);
    response.once('aborted', () => reject(new Error('the connection broke off')));
    out.once('error', reject);
  });
  const flushed = (): Promise<void> => new Promise((resolve) => out.end(resolve));
  return body.then(flushed, async (error: unknown) => {
    await flushed();
    throw error;
  });
}

/**
 * Downloads `url` into `part`, resuming from the bytes already there (HTTP Range, guarded
 * by If-Range so a file that changed on the server starts over). The partial file keeps what
 * arrived on cancel or failure, so the next try resumes. Returns the file's size once complete.
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
  let response: IncomingMessage;
  try {
    response = await get(url, headers, signal);
  } catch (error) {
    if (signal?.aborted) throw new DownloadError('cancelled', 'the download was cancelled');
    throw new DownloadError('download-failed', `cannot reach ${url}: ${(error as Error).message}`);
  }
  const status = response.statusCode ?? 0;
  if (status !== 200 && status !== 206) response.resume();
  if (status === 404) throw new DownloadError('not-found', `${url} was not found (HTTP 404): the catalog may name an archive that was withdrawn`);
  if (status === 416 && have > 0) {
    // The server has no bytes past ours: they are from another, longer file; start over.
    await discardPart(part);
    return downloadResumable(url, part, options);
  }
  if (status !== 200 && status !== 206) throw new DownloadError('download-failed', `${url} answered HTTP ${status} ${response.statusMessage ?? ''}`.trim());
  const resumed = status === 206;
  const offset = resumed ? have : 0;
  const total = totalOf(response, offset);
  if (expectedBytes && total !== undefined && total !== expectedBytes) {
    response.destroy();
    throw new DownloadError('bad-size', `${url} is ${total} bytes but the catalog says ${expectedBytes}: refusing it`);
  }
  const etag = response.headers.etag;
  const validator = etag ?? response.headers['last-modified'];
  await writeFile(infoPath(part), JSON.stringify({ url, validator, total } satisfies PartInfo));

  let done = offset;
  onProgress?.(done, total ?? 0);
  try {
    await receive(response, part, resumed, signal, (bytes) => {
      done += bytes;
      onProgress?.(done, total ?? 0);
    });
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
