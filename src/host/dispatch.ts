import type { z } from 'zod';
import { apiParams, isApiMethod, type ApiMethod, type ApiResult } from '@shared/api';
import { ApiError, type FromHostMessage, type RequestMessage, type ToHostMessage } from '@shared/protocol';
import type { JobContext } from './job-context';

export type Handler<M extends ApiMethod> = (params: z.output<(typeof apiParams)[M]>, ctx: JobContext) => Promise<ApiResult<M>>;
export type Handlers = { [M in ApiMethod]: Handler<M> };

/**
 * Routes contract messages to handlers. Every request's params are validated here,
 * at the boundary, whichever shell sent them; each request gets its own AbortController
 * so `cancel` reaches it, and requests run concurrently.
 */
export function createDispatcher(
  handlers: Handlers,
  context: Omit<JobContext, 'signal' | 'emit' | 'progress'>,
  send: (message: FromHostMessage) => void,
): (message: ToHostMessage) => void {
  const running = new Map<string, AbortController>();

  async function run(request: RequestMessage): Promise<void> {
    const controller = new AbortController();
    running.set(request.id, controller);
    const emit: JobContext['emit'] = (event) => send({ type: 'event', id: request.id, event });
    try {
      const result = await invoke(handlers, request, {
        ...context,
        signal: controller.signal,
        emit,
        progress: (done, total, message) => emit({ kind: 'progress', done, total, message }),
      });
      send({ type: 'response', id: request.id, ok: true, result });
    } catch (error) {
      const info = error instanceof ApiError ? error : new ApiError(errorCode(error), error instanceof Error ? error.message : String(error));
      send({ type: 'response', id: request.id, ok: false, error: { code: info.code, message: info.message } });
    } finally {
      running.delete(request.id);
    }
  }

  return (message) => {
    if (message.type === 'cancel') running.get(message.id)?.abort();
    else void run(message);
  };
}

async function invoke(handlers: Handlers, request: RequestMessage, ctx: JobContext): Promise<unknown> {
  if (!isApiMethod(request.method)) throw new ApiError('unknown-method', `unknown API method "${request.method}"`);
  const method: ApiMethod = request.method;
  const parsed = apiParams[method].safeParse(request.params ?? {});
  if (!parsed.success) throw new ApiError('invalid-params', `invalid params for ${method}: ${describeIssues(parsed.error.issues)}`);
  const handler = handlers[method] as Handler<ApiMethod>;
  return handler(parsed.data as never, ctx);
}

/** Engine errors carry a string `code` (AudioError, SessionError, …); keep it across the contract. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'engine-error';
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'params'}: ${issue.message}`).join('; ');
}
