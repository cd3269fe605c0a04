import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function staticMimeType(file: string): string {
  return MIME[extname(file)] ?? 'application/octet-stream';
}

/**
 * The file below `root` that a URL path names, or undefined when it is malformed
 * (`%` alone, a NUL) or resolves outside `root`. The browser shell and Electron's
 * `app://` protocol both serve the renderer through this.
 */
export function staticFileOf(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath || 'index.html');
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = join(root, normalize(decoded).replace(/^([/\\])+/, ''));
  return file.startsWith(root + sep) ? file : undefined;
}

/** Serves a file below `root`; anything malformed or outside it is a 404. */
export async function serveStatic(root: string, relativePath: string, res: ServerResponse, headers: Record<string, string>): Promise<void> {
  const file = staticFileOf(root, relativePath);
  const info = file === undefined ? undefined : await stat(file).catch(() => undefined);
  if (file === undefined || !info?.isFile()) return notFound(res);
  res.writeHead(200, { ...headers, 'Content-Type': staticMimeType(file), 'Content-Length': info.size });
  createReadStream(file)
    .once('error', () => res.destroy())
    .pipe(res);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
}
