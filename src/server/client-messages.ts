import { toHostMessageSchema, type ResponseMessage, type ToHostMessage } from '@shared/protocol';

/** What the browser shell does with one WebSocket message: forward it to the host, or answer it. */
export type ClientMessageOutcome = { forward: ToHostMessage } | { reply: ResponseMessage };

/**
 * Reads one message a page sent. Anything but a text frame holding a well-formed envelope is
 * answered with an `invalid-message` error (echoing its id when it has a usable one) and goes
 * no further; this never throws, whatever the bytes.
 */
export function readClientMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): ClientMessageOutcome {
  if (isBinary) return invalid('', 'binary messages are not accepted: send JSON text');
  let parsed: unknown;
  try {
    parsed = JSON.parse(textOf(data));
  } catch {
    return invalid('', 'the message is not JSON');
  }
  const message = toHostMessageSchema.safeParse(parsed);
  if (message.success) return { forward: message.data };
  const id = (parsed as { id?: unknown } | null)?.id;
  const usable = typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : '';
  return invalid(usable, `malformed message: ${message.error.issues[0]?.message ?? 'unknown shape'}`);
}

function textOf(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function invalid(id: string, message: string): { reply: ResponseMessage } {
  return { reply: { type: 'response', id, ok: false, error: { code: 'invalid-message', message } } };
}
