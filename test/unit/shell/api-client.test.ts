import { describe, expect, it } from 'vitest';
import { createApiClient, type Transport } from '../../../src/shared/client';
import { MAX_MESSAGE_BYTES, encodeMessage, type FromHostMessage, type ToHostMessage } from '../../../src/shared/protocol';

/** An in-memory transport the test drives: what the client sent, and a way to answer or drop. */
function loopTransport(options: { encode?: boolean } = {}) {
  const sent: ToHostMessage[] = [];
  let deliver: (m: FromHostMessage) => void = () => undefined;
  let drop: (reason: string) => void = () => undefined;
  const transport: Transport = {
    send: (m) => {
      if (options.encode) encodeMessage(m);
      sent.push(m);
    },
    onMessage: (h) => (deliver = h),
    onClose: (h) => (drop = h),
  };
  return { transport, sent, deliver: (m: FromHostMessage) => deliver(m), drop: (reason: string) => drop(reason) };
}

describe('the API client', () => {
  it('refuses a request its transport cannot carry, naming the sizes, and stays usable', async () => {
    const loop = loopTransport({ encode: true });
    const api = createApiClient(loop.transport);
    const huge = { padding: 'x'.repeat(MAX_MESSAGE_BYTES) };
    await expect(api.call('formatLattice', { lattice: huge, format: 'slf' })).rejects.toMatchObject({ code: 'message-too-large', message: expect.stringMatching(/^the formatLattice request is 16\.0 MiB; the engine accepts at most 16\.0 MiB per message$/) });
    const ping = api.call('ping', {}, undefined, 'p');
    loop.deliver({ type: 'response', id: 'p', ok: true, result: { time: 5 } });
    expect(await ping).toEqual({ time: 5 });
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    const message = (text: string): ToHostMessage => ({ type: 'request', id: 'x', method: 'ping', params: { text } });
    expect(() => encodeMessage(message('é'.repeat(MAX_MESSAGE_BYTES / 2 + 100)))).toThrow(/is 16\.0 MiB/);
    expect(encodeMessage(message('e'.repeat(MAX_MESSAGE_BYTES / 2)))).toContain('"method":"ping"');
  });

  it('fails waiting and later calls with the reason when the connection drops, instead of hanging', async () => {
    const loop = loopTransport();
    const api = createApiClient(loop.transport);
    const waiting = api.call('ping', {});
    loop.drop('code 1009: Max payload size exceeded');
    await expect(waiting).rejects.toMatchObject({ code: 'disconnected', message: expect.stringContaining('(code 1009: Max payload size exceeded)') });
    await expect(api.call('ping', {})).rejects.toMatchObject({ code: 'disconnected' });
  });
});
