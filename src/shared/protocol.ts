/**
 * The messages that carry the API contract between a shell and the engine host:
 * over Electron IPC + a utility process, over a WebSocket in the browser shell,
 * and over a child process's IPC channel. One shape everywhere, so the host
 * never knows which shell it serves.
 */
import { z } from 'zod';

export interface RequestMessage {
  type: 'request';
  /** Chosen by the caller, so it can cancel before the response arrives. */
  id: string;
  method: string;
  params: unknown;
}

export interface CancelMessage {
  type: 'cancel';
  id: string;
}

export interface ApiErrorInfo {
  /** `invalid-params`, `unknown-method`, `cancelled`, `engine-error`, … */
  code: string;
  message: string;
}

export type ResponseMessage =
  | { type: 'response'; id: string; ok: true; result: unknown }
  | { type: 'response'; id: string; ok: false; error: ApiErrorInfo };

/** Streamed while a request runs: progress, partial results, log lines. */
export type JobEvent =
  | { kind: 'progress'; done: number; total: number; message?: string }
  | { kind: 'partial'; data: unknown }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export interface EventMessage {
  type: 'event';
  id: string;
  event: JobEvent;
}

export type ToHostMessage = RequestMessage | CancelMessage;
export type FromHostMessage = ResponseMessage | EventMessage;

/** An error that crossed the contract, rebuilt on the calling side. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The envelope a shell accepts from a client; params are checked later, per method. */
export const toHostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('request'), id: z.string().min(1).max(200), method: z.string().min(1).max(100), params: z.unknown() }),
  z.object({ type: z.literal('cancel'), id: z.string().min(1).max(200) }),
]);

/**
 * The largest message the browser shell's WebSocket accepts; larger ones close the
 * connection. Clients check before sending (encodeMessage), so the user gets an error
 * naming the size instead of a dropped connection.
 */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** A message as JSON text, or an ApiError `message-too-large` when it is over the limit. */
export function encodeMessage(message: ToHostMessage): string {
  const text = JSON.stringify(message);
  // UTF-8 takes at most 3 bytes per UTF-16 unit: most messages need no encoding to be measured.
  const bytes = text.length * 3 <= MAX_MESSAGE_BYTES ? text.length : new TextEncoder().encode(text).length;
  if (bytes > MAX_MESSAGE_BYTES) {
    const what = message.type === 'request' ? `the ${message.method} request` : 'the message';
    throw new ApiError('message-too-large', `${what} is ${mebibytes(bytes)} MiB; the engine accepts at most ${mebibytes(MAX_MESSAGE_BYTES)} MiB per message`);
  }
  return text;
}

function mebibytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
