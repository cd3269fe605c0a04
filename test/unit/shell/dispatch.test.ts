import { describe, expect, it } from 'vitest';
import { createDispatcher, type Handlers } from '../../../src/host/dispatch';
import type { JobContext } from '../../../src/host/job-context';
import type { FromHostMessage } from '../../../src/shared/protocol';
import { HostRouter } from '../../../src/host/host-router';
import { modelHandlers } from '../../../src/host/handlers/model-handlers';
import { isAllowedHostHeader, isAllowedOrigin, isLoopbackHost } from '../../../src/server/loopback';

function harness(overrides: Partial<Handlers> = {}) {
  const sent: FromHostMessage[] = [];
  const handlers = {
    ping: async () => ({ time: 1 }),
    getDefaults: async () => ({ demoFolder: '/demo', modelDir: '/model' }),
    listRecordings: async ({ folder }: { folder: string }) => ({ folder, recordings: [], problems: [] }),
    busyWait: (_p: { ms: number }, ctx: JobContext) =>
      new Promise<{ ms: number }>((resolve, reject) => {
        ctx.progress(1, 2, 'half way');
        ctx.signal.addEventListener('abort', () => reject(Object.assign(new Error('the request was cancelled'), { code: 'cancelled' })));
      }),
    ...overrides,
  } as Handlers;
  const dispatch = createDispatcher(handlers, { pool: {} as JobContext['pool'], paths: {} as JobContext['paths'], files: {} as JobContext['files'] }, (m) => sent.push(m));
  const settle = () => new Promise((r) => setTimeout(r, 5));
  return { sent, dispatch, settle };
}

describe('the host dispatcher', () => {
  it('answers a valid request with its result', async () => {
    const { sent, dispatch, settle } = harness();
    dispatch({ type: 'request', id: 'a', method: 'listRecordings', params: { folder: '/x' } });
    await settle();
    expect(sent).toEqual([{ type: 'response', id: 'a', ok: true, result: { folder: '/x', recordings: [], problems: [] } }]);
  });

  it('refuses params that fail the schema, naming the field', async () => {
    const { sent, dispatch, settle } = harness();
    dispatch({ type: 'request', id: 'b', method: 'listRecordings', params: { folder: 42 } });
    dispatch({ type: 'request', id: 'c', method: 'listRecordings', params: { folder: '/x', extra: true } });
    await settle();
    expect(sent[0]).toMatchObject({ id: 'b', ok: false, error: { code: 'invalid-params' } });
    expect((sent[0] as { error: { message: string } }).error.message).toMatch(/folder/);
    expect(sent[1]).toMatchObject({ id: 'c', ok: false, error: { code: 'invalid-params' } });
  });

  it('refuses an unknown method', async () => {
    const { sent, dispatch, settle } = harness();
    dispatch({ type: 'request', id: 'd', method: 'formatDisk', params: {} });
    await settle();
    expect(sent[0]).toMatchObject({ id: 'd', ok: false, error: { code: 'unknown-method' } });
  });

  it('streams progress and stops a request when it is cancelled', async () => {
    const { sent, dispatch, settle } = harness();
    dispatch({ type: 'request', id: 'e', method: 'busyWait', params: { ms: 100 } });
    await settle();
    dispatch({ type: 'cancel', id: 'e' });
    await settle();
    expect(sent[0]).toEqual({ type: 'event', id: 'e', event: { kind: 'progress', done: 1, total: 2, message: 'half way' } });
    expect(sent[1]).toMatchObject({ type: 'response', id: 'e', ok: false });
  });
});

describe('lattices sent by the page', () => {
  it('are checked field by field before a writer sees them (the message fuzzer found a TypeError here)', async () => {
    const { sent, dispatch, settle } = harness(modelHandlers);
    dispatch({ type: 'request', id: 'l', method: 'formatLattice', params: { lattice: { nodes: [], arcs: [{ from: 0 }], start: 0, end: 0 }, format: 'slf' } });
    await settle();
    expect(sent[0]).toMatchObject({ id: 'l', ok: false, error: { code: 'invalid-params' } });
    expect((sent[0] as { error: { message: string } }).error.message).toMatch(/^invalid params for formatLattice: lattice: frameShiftS: .*arcs\.0\.to/);
  });

  it('are written when whole', async () => {
    const { sent, dispatch, settle } = harness(modelHandlers);
    const lattice = { frameShiftS: 0.04, nodes: [{ id: 0, frame: 0, timeS: 0 }, { id: 1, frame: 5, timeS: 0.2 }], arcs: [{ from: 0, to: 1, word: 'hi', startFrame: 0, endFrame: 5, acousticScore: -1, biasScore: 0, posterior: 1 }], start: 0, end: 1 };
    dispatch({ type: 'request', id: 'w', method: 'formatLattice', params: { lattice, format: 'json' } });
    await settle();
    expect(sent[0]).toMatchObject({ id: 'w', ok: true, result: { mimeType: 'application/json', extension: 'json' } });
  });
});

describe('the host router', () => {
  it('keeps two clients with the same request ids apart', () => {
    const toHost: { id: string }[] = [];
    const router = new HostRouter((m) => toHost.push(m));
    const gotA: FromHostMessage[] = [];
    const gotB: FromHostMessage[] = [];
    const a = router.attach((m) => gotA.push(m));
    const b = router.attach((m) => gotB.push(m));
    a.forward({ type: 'request', id: '1', method: 'ping', params: {} });
    b.forward({ type: 'request', id: '1', method: 'ping', params: {} });
    expect(toHost[0].id).not.toBe(toHost[1].id);
    router.fromHost({ type: 'response', id: toHost[1].id, ok: true, result: 'for b' });
    expect(gotA).toEqual([]);
    expect(gotB).toEqual([{ type: 'response', id: '1', ok: true, result: 'for b' }]);
  });

  it('cancels the requests a client left unanswered when it goes away (a closed page ends its live session)', () => {
    const toHost: { type: string; id: string }[] = [];
    const router = new HostRouter((m) => toHost.push(m));
    const client = router.attach(() => undefined);
    client.forward({ type: 'request', id: 'live', method: 'liveStart', params: {} });
    client.forward({ type: 'request', id: 'done', method: 'ping', params: {} });
    const [live, done] = toHost.map((m) => m.id);
    router.fromHost({ type: 'event', id: live, event: { kind: 'partial', data: {} } });
    router.fromHost({ type: 'response', id: done, ok: true, result: { time: 1 } });
    client.detach();
    expect(toHost.slice(2)).toEqual([{ type: 'cancel', id: live }]);
  });
});

describe('loopback rules of the browser shell', () => {
  it('knows loopback addresses from others', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('192.168.1.4')).toBe(false);
  });

  it('refuses a Host header naming another machine (DNS rebinding)', () => {
    expect(isAllowedHostHeader('127.0.0.1:4000', 4000, '127.0.0.1', false)).toBe(true);
    expect(isAllowedHostHeader('localhost:4000', 4000, '127.0.0.1', false)).toBe(true);
    expect(isAllowedHostHeader('evil.example:4000', 4000, '127.0.0.1', false)).toBe(false);
    expect(isAllowedHostHeader('127.0.0.1:4001', 4000, '127.0.0.1', false)).toBe(false);
    expect(isAllowedHostHeader(undefined, 4000, '127.0.0.1', false)).toBe(false);
  });

  it('accepts a WebSocket only from the shell’s own page, or from a client that is not a browser', () => {
    expect(isAllowedOrigin('http://127.0.0.1:4000', '127.0.0.1:4000')).toBe(true);
    expect(isAllowedOrigin('http://localhost:4000', 'localhost:4000')).toBe(true);
    expect(isAllowedOrigin(undefined, '127.0.0.1:4000')).toBe(true);
    expect(isAllowedOrigin('http://evil.com', '127.0.0.1:4000')).toBe(false);
    expect(isAllowedOrigin('null', '127.0.0.1:4000')).toBe(false);
    expect(isAllowedOrigin('http://localhost:4000', '127.0.0.1:4000')).toBe(false);
    expect(isAllowedOrigin('https://127.0.0.1:4000', '127.0.0.1:4000')).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:4000', undefined)).toBe(false);
  });
});
