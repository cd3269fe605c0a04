import { createServer, type IncomingMessage } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { toHostMessageSchema, type FromHostMessage } from '@shared/protocol';
import { CONTENT_SECURITY_POLICY } from '@shared/content-security-policy';
import { HostRouter } from '../host/host-router';
import type { ForkedHost } from '../host/fork-host';
import { isAllowedHostHeader, isLoopbackHost } from './loopback';
import { serveStatic } from './static-files';
import { serveAudio } from './media-files';

export interface ServeOptions {
  /** 0 (the default) takes a free port. */
  port?: number;
  host?: string;
  /** Required to bind anything but a loopback address. */
  allowRemote?: boolean;
  /** The built renderer (out/renderer). */
  rendererDir: string;
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

  const refuse = (req: IncomingMessage): string | undefined => {
    if (!isAllowedHostHeader(req.headers.host, port, host, options.allowRemote ?? false)) return 'unexpected Host header';
    if (!hasToken(req.url ?? '', prefix)) return 'missing or wrong token';
    return undefined;
  };

  const server = createServer((req, res) => {
    const reason = refuse(req);
    if (reason) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end(`forbidden: ${reason}`);
      return;
    }
    const requested = new URL(req.url ?? '/', 'http://x');
    const path = requested.pathname.slice(prefix.length);
    if (path === 'media') {
      void serveAudio(requested.searchParams.get('path') ?? '', req, res);
      return;
    }
    void serveStatic(options.rendererDir, path, res, {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const reason = refuse(req) ?? (new URL(req.url ?? '/', 'http://x').pathname === `${prefix}ws` ? undefined : 'unknown endpoint');
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
  const link = router.attach((message: FromHostMessage) => ws.send(JSON.stringify(message)));
  ws.on('message', (data) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(data));
    } catch {
      ws.send(JSON.stringify({ type: 'response', id: '', ok: false, error: { code: 'invalid-message', message: 'the message is not JSON' } }));
      return;
    }
    const message = toHostMessageSchema.safeParse(parsed);
    if (!message.success) {
      const id = typeof (parsed as { id?: unknown })?.id === 'string' ? (parsed as { id: string }).id : '';
      ws.send(JSON.stringify({ type: 'response', id, ok: false, error: { code: 'invalid-message', message: `malformed message: ${message.error.issues[0]?.message ?? 'unknown shape'}` } }));
      return;
    }
    link.forward(message.data);
  });
  ws.on('close', () => link.detach());
}
