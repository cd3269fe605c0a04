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
