import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES, type FromHostMessage } from '@shared/protocol';
import { CONTENT_SECURITY_POLICY } from '@shared/content-security-policy';
import { PathGuard } from '@engine/session/path-guard';
import { HostRouter } from '../host/host-router';
import type { ForkedHost } from '../host/fork-host';
import { allowedRoots } from '../host/file-access';
import { resolveHostPaths } from '../host/host-paths';
import { isAllowedHostHeader, isAllowedOrigin, isLoopbackHost } from './loopback';
import { serveStatic } from './static-files';
import { serveAudio } from './media-files';
import { readClientMessage } from './client-messages';

export interface ServeOptions {
  /** 0 (the default) takes a free port. */
  port?: number;
  host?: string;
  /** Required to bind anything but a loopback address. */
  allowRemote?: boolean;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The folders the media route may serve from; the engine host's roots (EARSHOT_ROOTS, else home, plus the app's own) by default. */
  roots?: readonly string[];
  engineHost: ForkedHost;
}

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The browser shell: serves the built renderer and the API contract over a WebSocket.
 * Every URL carries a per-run random token as its first path segments
 * (`/t/<token>/…`), so relative asset URLs keep it and any request without it is refused.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.allowRemote) {
    throw new Error(`refusing to bind ${host}: it is not a loopback address (pass --allow-remote to bind it anyway)`);
  }
  const token = randomBytes(24).toString('base64url');
  const prefix = `/t/${token}/`;
  const router = new HostRouter((m) => options.engineHost.send(m));
  options.engineHost.onMessage((m) => router.fromHost(m));
  let port = options.port ?? 0;
  const media = new PathGuard(options.roots ?? allowedRoots(resolveHostPaths()));

  const refuse = (req: IncomingMessage): string | undefined => {
    if (!isAllowedHostHeader(req.headers.host, port, host, options.allowRemote ?? false)) return 'unexpected Host header';
    if (!hasToken(req.url ?? '', prefix)) return 'missing or wrong token';
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const reason = refuse(req);
    if (reason) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end(`forbidden: ${reason}`);
      return;
    }
    const requested = new URL(req.url ?? '/', 'http://x');
    const path = requested.pathname.slice(prefix.length);
    if (path === 'media') return serveAudio(requested.searchParams.get('path') ?? '', media, req, res);
    return serveStatic(options.rendererDir, path, res, {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
  };
  // One bad request gets a 500 and a log line; it never takes the shell (and its engine host) down.
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(`earshot: ${req.method} request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end('internal error');
      else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const reason =
      refuse(req) ??
      (isAllowedOrigin(req.headers.origin, req.headers.host) ? undefined : 'the page is not the Earshot workbench (Origin)') ??
      (new URL(req.url ?? '/', 'http://x').pathname === `${prefix}ws` ? undefined : 'unknown endpoint');
    if (reason) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\nforbidden: ${reason}`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => connect(ws, router));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${prefix}`,
    token,
    port,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function hasToken(url: string, prefix: string): boolean {
  const given = Buffer.from(url.slice(0, prefix.length));
  const expected = Buffer.from(prefix);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function connect(ws: WebSocket, router: HostRouter): void {
  const link = router.attach((message: FromHostMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  });
  ws.on('message', (data, isBinary) => {
    const outcome = readClientMessage(data, isBinary);
    if ('forward' in outcome) link.forward(outcome.forward);
    else ws.send(JSON.stringify(outcome.reply));
  });
  // A protocol error (a frame over the size limit, bad UTF-8, an unmasked or reserved frame)
  // closes this connection with its status code; without a listener it would end the process.
  ws.on('error', (error) => console.error(`earshot: closed a WebSocket connection: ${error.message}`));
  ws.on('close', () => link.detach());
}
