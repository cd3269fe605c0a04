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

/** Serves a file below `root`; anything that resolves outside it is a 404. */
export async function serveStatic(root: string, relativePath: string, res: ServerResponse, headers: Record<string, string>): Promise<void> {
  const clean = normalize(decodeURIComponent(relativePath || 'index.html')).replace(/^([/\\])+/, '');
  const file = join(root, clean);
  if (!file.startsWith(root + sep) && file !== root) return notFound(res);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return notFound(res);
  res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Length': info.size });
  createReadStream(file).pipe(res);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
}
