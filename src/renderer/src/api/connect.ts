import type { EarshotApi } from '@shared/api';
import { createApiClient, type Transport } from '@shared/client';
import { encodeMessage, type FromHostMessage } from '@shared/protocol';
import type { PathPickRequest } from '@shared/path-pick';

declare global {
  interface Window {
    earshot?: EarshotApi;
    earshotFiles?: { pathForFile(file: File): string; pickPath(request: PathPickRequest): Promise<string | null> };
  }
}

/** The API, and how this shell lets the page play a recording. */
export interface Connection {
  api: EarshotApi;
  mediaUrl(path: string): string;
  /** The path of a dropped file, where the shell can tell it (Electron); else null. */
  pathForFile(file: File): string | null;
  /** The shell's native open/save dialog (Electron); absent in a browser, which uses the host's folder browser. */
  pickPath?: (request: PathPickRequest) => Promise<string | null>;
}

/** Electron's main registers this scheme to stream local audio to the page. */
const ELECTRON_MEDIA_SCHEME = 'earshot-media';

/**
 * Picks the transport at start-up: Electron's preload provides `window.earshot`;
 * in a browser the page was served by `earshot serve` at /t/<token>/ and the API
 * is a WebSocket beside it. No other renderer code knows which one it got.
 */
export async function connectApi(): Promise<Connection> {
  if (window.earshot) {
    const files = window.earshotFiles;
    return {
      api: window.earshot,
      mediaUrl: (path) => `${ELECTRON_MEDIA_SCHEME}://audio/?path=${encodeURIComponent(path)}`,
      pathForFile: (file) => files?.pathForFile(file) || null,
      pickPath: files ? (request) => files.pickPath(request) : undefined,
    };
  }
  const api = createApiClient(await openWebSocket(new URL('ws', window.location.href)));
  return { api, mediaUrl: (path) => new URL(`media?path=${encodeURIComponent(path)}`, window.location.href).href, pathForFile: () => null };
}

function closeReason(code: number, reason: string): string {
  return reason ? `code ${code}: ${reason}` : `code ${code}`;
}

function openWebSocket(pageUrl: URL): Promise<Transport> {
  pageUrl.protocol = pageUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(pageUrl.href);
  return new Promise((resolve, reject) => {
    socket.addEventListener('error', () => reject(new Error('cannot reach the Earshot engine over its WebSocket')), { once: true });
    socket.addEventListener(
      'open',
      () =>
        resolve({
          send: (message) => socket.send(encodeMessage(message)),
          onMessage: (handler) => socket.addEventListener('message', (event) => handler(JSON.parse(String(event.data)) as FromHostMessage)),
          onClose: (handler) => socket.addEventListener('close', (event) => handler(closeReason(event.code, event.reason))),
        }),
      { once: true },
    );
  });
}
