import type { FromHostMessage, ToHostMessage } from '@shared/protocol';

/**
 * Lets several clients (windows, WebSocket connections) share one engine host.
 * Request ids are prefixed with the client's id on the way in and stripped on the
 * way out, so two clients may pick the same ids without crossing replies.
 */
export class HostRouter {
  private readonly clients = new Map<string, (message: FromHostMessage) => void>();
  private nextClient = 1;

  constructor(private readonly sendToHost: (message: ToHostMessage) => void) {}

  /** Returns the function that forwards this client's messages, and its detach. */
  attach(sendToClient: (message: FromHostMessage) => void): { forward(message: ToHostMessage): void; detach(): void } {
    const clientId = `c${this.nextClient++}`;
    this.clients.set(clientId, sendToClient);
    return {
      forward: (message) => this.sendToHost({ ...message, id: `${clientId}/${message.id}` }),
      detach: () => this.clients.delete(clientId),
    };
  }

  /** Delivers a host message to the client whose request it answers. */
  fromHost(message: FromHostMessage): void {
    const slash = message.id.indexOf('/');
    if (slash < 0) return;
    const send = this.clients.get(message.id.slice(0, slash));
    send?.({ ...message, id: message.id.slice(slash + 1) });
  }
}
