import type { FromHostMessage, ToHostMessage } from '@shared/protocol';

interface Client {
  send(message: FromHostMessage): void;
  /** Requests sent and not yet answered, by the client's own id. */
  running: Set<string>;
}

/**
 * Lets several clients (windows, WebSocket connections) share one engine host.
 * Request ids are prefixed with the client's id on the way in and stripped on the
 * way out, so two clients may pick the same ids without crossing replies. A client that
 * goes away has its unanswered requests cancelled: nobody is left to read their answers,
 * and a live microphone session must not outlive its page.
 */
export class HostRouter {
  private readonly clients = new Map<string, Client>();
  private nextClient = 1;

  constructor(private readonly sendToHost: (message: ToHostMessage) => void) {}

  /** Returns the function that forwards this client's messages, and its detach. */
  attach(sendToClient: (message: FromHostMessage) => void): { forward(message: ToHostMessage): void; detach(): void } {
    const clientId = `c${this.nextClient++}`;
    const client: Client = { send: sendToClient, running: new Set() };
    this.clients.set(clientId, client);
    return {
      forward: (message) => {
        if (message.type === 'request') client.running.add(message.id);
        this.sendToHost({ ...message, id: `${clientId}/${message.id}` });
      },
      detach: () => {
        this.clients.delete(clientId);
        for (const id of client.running) this.sendToHost({ type: 'cancel', id: `${clientId}/${id}` });
        client.running.clear();
      },
    };
  }

  /** Delivers a host message to the client whose request it answers. */
  fromHost(message: FromHostMessage): void {
    const slash = message.id.indexOf('/');
    if (slash < 0) return;
    const client = this.clients.get(message.id.slice(0, slash));
    if (!client) return;
    const id = message.id.slice(slash + 1);
    if (message.type === 'response') client.running.delete(id);
    client.send({ ...message, id });
  }
}
