import type { ApiMethod, ApiParams, ApiResult, EarshotApi, JobListener } from './api';
import { ApiError, type FromHostMessage, type ToHostMessage } from './protocol';

/** A way to reach the engine host: Electron IPC, a WebSocket, a child process. */
export interface Transport {
  send(message: ToHostMessage): void;
  onMessage(handler: (message: FromHostMessage) => void): void;
  /** Transports that can drop (a WebSocket) say so; `reason` is for people, e.g. "code 1009: Max payload size exceeded". */
  onClose?(handler: (reason: string) => void): void;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  listener?: JobListener;
}

/** Turns a transport into the typed API; the same client serves every shell. */
export function createApiClient(transport: Transport): EarshotApi {
  const pending = new Map<string, Pending>();
  let counter = 0;
  let closed: ApiError | undefined;
  const nextRequestId = (): string => `r${Date.now().toString(36)}-${(counter += 1)}`;
  transport.onMessage((message) => {
    const entry = pending.get(message.id);
    if (!entry) return;
    if (message.type === 'event') {
      entry.listener?.(message.event);
      return;
    }
    pending.delete(message.id);
    if (message.ok) entry.resolve(message.result);
    else entry.reject(new ApiError(message.error.code, message.error.message));
  });
  // Nothing will answer once the transport is gone: fail what waits and what comes, instead of hanging.
  transport.onClose?.((reason) => {
    closed = new ApiError('disconnected', `the connection to the Earshot engine closed (${reason}); reload the page to reconnect`);
    for (const entry of pending.values()) entry.reject(closed);
    pending.clear();
  });
  return {
    call<M extends ApiMethod>(method: M, params: ApiParams<M>, listener?: JobListener, requestId?: string): Promise<ApiResult<M>> {
      const id = requestId ?? nextRequestId();
      return new Promise<ApiResult<M>>((resolve, reject) => {
        if (closed) return reject(closed);
        pending.set(id, { resolve: resolve as (r: unknown) => void, reject, listener });
        try {
          transport.send({ type: 'request', id, method, params });
        } catch (error) {
          // A transport refuses what it cannot carry (a message over its size limit).
          pending.delete(id);
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    cancel(requestId: string): void {
      transport.send({ type: 'cancel', id: requestId });
    },
  };
}
