import WebSocket from 'ws';
import { createApiClient } from '../../src/shared/client';
import type { EarshotApi } from '../../src/shared/api';
import { encodeMessage, type FromHostMessage } from '../../src/shared/protocol';

/** The typed API over the browser shell's WebSocket, as the renderer uses it. */
export function connectApiClient(pageUrl: string): Promise<{ api: EarshotApi; close(): void }> {
  const socket = new WebSocket(new URL('ws', pageUrl).href.replace(/^http/, 'ws'));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        api: createApiClient({
          send: (m) => socket.send(encodeMessage(m)),
          onMessage: (handler) => socket.on('message', (data) => handler(JSON.parse(String(data)) as FromHostMessage)),
          onClose: (handler) => socket.on('close', (code, reason) => handler(`code ${code}${reason.length ? `: ${reason.toString()}` : ''}`)),
        }),
        close: () => socket.close(),
      }),
    );
  });
}
