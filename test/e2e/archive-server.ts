import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { c as tarCreate } from 'tar';

/** How a served file misbehaves: cut after some bytes on a request without Range, or trickle slowly. */
export interface ServedFile {
  bytes: Buffer;
  cutAfter?: number;
  trickle?: { chunk: number; everyMs: number };
}

export interface ArchiveServer {
  baseUrl: string;
  files: Map<string, ServedFile>;
  /** Each request's path and Range header, in order. */
  requests: Array<{ path: string; range?: string }>;
  close(): Promise<void>;
}

/**
 * A release server on 127.0.0.1 only: serves byte ranges (206 with Content-Range, as GitHub's
 * storage does), 404 for what it lacks, and can break a download off or slow it down.
 */
export async function startArchiveServer(): Promise<ArchiveServer> {
  const files = new Map<string, ServedFile>();
  const requests: ArchiveServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    requests.push({ path, range: req.headers.range });
    const file = files.get(path);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const total = file.bytes.length;
    const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    if (from >= total && total > 0) {
      res.writeHead(416, { 'Content-Range': `bytes */${total}` }).end();
      return;
    }
    const body = file.bytes.subarray(from);
    const headers = { 'Content-Type': 'application/x-bzip2', 'Content-Length': String(body.length), ETag: '"fixture"', 'Accept-Ranges': 'bytes' };
    res.writeHead(from > 0 ? 206 : 200, from > 0 ? { ...headers, 'Content-Range': `bytes ${from}-${total - 1}/${total}` } : headers);
    if (file.cutAfter !== undefined && from === 0) {
      // Part of the body, a stall, then the connection drops: the client has all it was sent.
      res.write(body.subarray(0, file.cutAfter), () => setTimeout(() => res.socket?.end(), 500));
      return;
    }
    if (file.trickle) {
      const { chunk, everyMs } = file.trickle;
      let at = 0;
      const timer = setInterval(() => {
        if (res.destroyed || at >= body.length) {
          clearInterval(timer);
          if (!res.destroyed) res.end();
          return;
        }
        res.write(body.subarray(at, at + chunk));
        at += chunk;
      }, everyMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/releases/`,
    files,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A real .tar.bz2 of a model folder, as sherpa-onnx publishes them: one top folder named like
 * the archive. tar from node-tar, bzip2 from the system's bzip2 (Debian's `bzip2` package).
 */
export async function tarBz2Of(modelDir: string, topFolder: string): Promise<Buffer> {
  const stage = mkdtempSync(join(tmpdir(), 'earshot-archive-'));
  cpSync(modelDir, join(stage, topFolder), { recursive: true });
  const tar = tarCreate({ cwd: stage, portable: true, gzip: false }, [topFolder]);
  const bzip2 = spawn('bzip2', ['-c', '-9'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  bzip2.stdout.on('data', (c: Buffer) => chunks.push(c));
  tar.pipe(bzip2.stdin);
  const code = await new Promise<number | null>((resolve, reject) => {
    bzip2.once('error', reject);
    bzip2.once('close', resolve);
  });
  if (code !== 0) throw new Error(`bzip2 exited with ${code}`);
  return Buffer.concat(chunks);
}
