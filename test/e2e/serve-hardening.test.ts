import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { connectApiClient } from './api-client';
import { launchChromium, root, screenshotDir, startServe, type ServedApp } from './harness';

/**
 * The browser shell survives every bad request the adversarial probe of issue 15 found,
 * and answers a ping after each. Its roots are one temporary folder only.
 */
const home = mkdtempSync(join(tmpdir(), 'earshot-hardening-'));
const outside = mkdtempSync(join(tmpdir(), 'earshot-hardening-outside-'));
const demoWav = join(root, 'resources', 'demo', 'call-anna.wav');
let app: ServedApp;

beforeAll(async () => {
  copyFileSync(demoWav, join(home, 'clip.wav'));
  writeFileSync(join(home, 'locked.wav'), 'RIFF');
  chmodSync(join(home, 'locked.wav'), 0o000);
  writeFileSync(join(home, 'notes.json'), 'SECRET-LINE-1: the root password is hunter2\n');
  writeFileSync(join(outside, 'elsewhere.wav'), 'RIFF');
  symlinkSync('/etc/passwd', join(home, 'x.wav'));
  symlinkSync(join(outside, 'elsewhere.wav'), join(home, 'linked.wav'));
  // Root reads any file whatever its mode: run the shell without that capability.
  const asRoot = process.getuid?.() === 0;
  app = await startServe([], { EARSHOT_ROOTS: home }, asRoot ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-all'] : []);
});

afterAll(async () => {
  await app?.stop();
  for (const folder of [home, outside]) rmSync(folder, { recursive: true, force: true });
});

async function ping(): Promise<number> {
  const { api, close } = await connectApiClient(app.url);
  try {
    return (await api.call('ping', {})).time;
  } finally {
    close();
  }
}

/** Upgrades a plain TCP socket to the shell's WebSocket, so the test can send frames ws would never build. */
async function rawSocket(): Promise<{ socket: Socket; closed: Promise<number | undefined> }> {
  const url = new URL('ws', app.url);
  const socket = connect(Number(url.port), url.hostname);
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  socket.write(
    `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await expect.poll(() => received.toString('latin1')).toContain('\r\n\r\n');
  expect(received.toString('latin1')).toMatch(/^HTTP\/1\.1 101/);
  const headerEnd = received.indexOf('\r\n\r\n') + 4;
  const closed = new Promise<number | undefined>((resolve) => {
    socket.once('close', () => {
      // The server's close frame (0x88) carries the status code in its first two payload bytes.
      const frames = received.subarray(headerEnd);
      resolve(frames[0] === 0x88 && frames.length >= 4 ? frames.readUInt16BE(2) : undefined);
    });
  });
  return { socket, closed };
}

function frame(opcode: number, payload: Buffer, options: { masked?: boolean; rsv1?: boolean; claimedLength?: number } = {}): Buffer {
  const masked = options.masked ?? true;
  const length = options.claimedLength ?? payload.length;
  const head = [0x80 | (options.rsv1 ? 0x40 : 0) | opcode];
  const lengthBytes = length < 126 ? [length] : [127, ...Array.from(Buffer.from(BigInt(length).toString(16).padStart(16, '0'), 'hex'))];
  head.push((masked ? 0x80 : 0) | lengthBytes[0], ...lengthBytes.slice(1));
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = randomBytes(4);
  return Buffer.concat([Buffer.from(head), mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]))]);
}

describe('the browser shell under bad requests', () => {
  it.each([
    ['a message over 16 MiB', frame(1, Buffer.from('{}'), { claimedLength: 17 * 1024 * 1024 }), 1009],
    ['a text frame with invalid UTF-8', frame(1, Buffer.from([0x22, 0xff, 0xfe, 0x22])), 1007],
    ['an unmasked frame', frame(1, Buffer.from('{}'), { masked: false }), 1002],
    ['opcode 3', frame(3, Buffer.from('x')), 1002],
    ['RSV1 set without an extension', frame(1, Buffer.from('{}'), { rsv1: true }), 1002],
  ])('closes the connection on %s and stays up', async (_name, bytes, code) => {
    expect(await ping()).toBeGreaterThan(0);
    const { socket, closed } = await rawSocket();
    socket.write(bytes);
    expect(await closed).toBe(code);
    expect(app.process.exitCode).toBeNull();
    expect(await ping()).toBeGreaterThan(0);
  });

  it('closes a connection that really sends 17 MiB, and stays up', async () => {
    const socket = new WebSocket(new URL('ws', app.url).href.replace(/^http/, 'ws'));
    await new Promise((resolve) => socket.once('open', resolve));
    const code = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send('x'.repeat(17 * 1024 * 1024));
    expect(await code).toBe(1009);
    expect(await ping()).toBeGreaterThan(0);
  });

  it('refuses an oversized request before sending it, with an error that names the sizes, and the connection stays usable', async () => {
    const { api, close } = await connectApiClient(app.url);
    const huge = { nodes: [], arcs: [], start: 0, end: 0, padding: 'x'.repeat(17 * 1024 * 1024) };
    await expect(api.call('formatLattice', { lattice: huge, format: 'json' })).rejects.toThrow(/the formatLattice request is 17\.0 MiB; the engine accepts at most 16\.0 MiB/);
    expect((await api.call('ping', {})).time).toBeGreaterThan(0);
    close();
  });

  it('answers binary and malformed messages with an error instead of dropping them', async () => {
    const socket = new WebSocket(new URL('ws', app.url).href.replace(/^http/, 'ws'));
    await new Promise((resolve) => socket.once('open', resolve));
    const replies: string[] = [];
    socket.on('message', (data) => replies.push(String(data)));
    socket.send(Buffer.from([1, 2, 3]));
    socket.send('not json');
    socket.send(JSON.stringify({ type: 'request', id: 'q', method: 'ping' }).replace('"method":"ping"', '"method":7'));
    await expect.poll(() => replies.length).toBe(3);
    expect(replies.map((r) => JSON.parse(r).error.message)).toEqual([
      'binary messages are not accepted: send JSON text',
      'the message is not JSON',
      expect.stringMatching(/^malformed message/),
    ]);
    expect(JSON.parse(replies[2]).id).toBe('q');
    socket.close();
  });

  it.each([
    ['a lone %', '%'],
    ['a broken escape', '%E0%A4%A'],
    ['a NUL', 'index.html%00.js'],
  ])('answers a static path with %s with 404', async (_name, path) => {
    expect((await fetch(`${app.url}${path}`)).status).toBe(404);
    expect(await ping()).toBeGreaterThan(0);
  });

  it('answers an unreadable audio file with 403 and stays up', async () => {
    const response = await fetch(`${app.url}media?path=${encodeURIComponent(join(home, 'locked.wav'))}`);
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('the audio file cannot be read');
    expect(await ping()).toBeGreaterThan(0);
  });

  it('serves audio only inside the roots, with links resolved first', async () => {
    const media = (path: string) => fetch(`${app.url}media?path=${encodeURIComponent(path)}`);
    expect((await media(join(home, 'clip.wav'))).status).toBe(200);
    const passwd = await media(join(home, 'x.wav'));
    expect(passwd.status).toBe(403);
    expect(await passwd.text()).not.toContain('root:');
    expect((await media(join(home, 'linked.wav'))).status).toBe(403);
    expect((await media(join(outside, 'elsewhere.wav'))).status).toBe(403);
    expect((await media(join(home, '..', 'x.wav'))).status).toBe(403);
    expect((await media(demoWav)).status).toBe(200); // the app's own recordings
  });

  it('accepts the WebSocket only from its own page', async () => {
    const outcome = (origin?: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(new URL('ws', app.url).href.replace(/^http/, 'ws'), origin ? { origin } : {});
        socket.once('open', () => {
          socket.close();
          resolve('open');
        });
        socket.once('unexpected-response', (_req, res) => resolve(`status ${res.statusCode}`));
        socket.once('error', () => resolve('error'));
      });
    expect(await outcome('http://evil.com')).toBe('status 403');
    expect(await outcome('null')).toBe('status 403');
    expect(await outcome(`http://127.0.0.1:${new URL(app.url).port}.evil.com`)).toBe('status 403');
    expect(await outcome(new URL(app.url).origin)).toBe('open');
    expect(await outcome()).toBe('open');
  });
});

describe('the API stays inside the roots', () => {
  it('refuses openSession of /etc/passwd without reading it', async () => {
    const { api, close } = await connectApiClient(app.url);
    const error = await api.call('openSession', { path: '/etc/passwd' }).catch((e: Error & { code: string }) => e);
    expect(error).toMatchObject({ code: 'outside-roots' });
    expect((error as Error).message).not.toContain('root:');
    close();
  });

  it('names a session that is not JSON without echoing its contents', async () => {
    const { api, close } = await connectApiClient(app.url);
    const error = await api.call('openSession', { path: join(home, 'notes.json') }).catch((e: Error & { code: string }) => e);
    expect(error).toMatchObject({ code: 'malformed-json' });
    expect((error as Error).message).toBe(`${join(home, 'notes.json')}: is not valid JSON`);
    close();
  });

  it('refuses to export into, list or decode from a folder outside the roots', async () => {
    const { api, close } = await connectApiClient(app.url);
    await expect(api.call('exportSession', { format: 'csv', outDir: outside })).rejects.toThrow(/outside the folders Earshot may open.*--root/);
    await expect(api.call('listRecordings', { folder: outside })).rejects.toThrow(/outside the folders Earshot may open/);
    await expect(api.call('getPeaks', { path: join(home, 'linked.wav') })).rejects.toThrow(/links to .*elsewhere\.wav.*outside/);
    await expect(api.call('analyzeUtterance', { utterance: { id: 'u', audio: join(home, 'x.wav') } })).rejects.toThrow(/utterance u .*outside/);
    await expect(api.call('getModelInfo', { modelDir: outside })).rejects.toThrow(/the model folder .*outside/);
    close();
  });

  it('lists a folder inside the roots, reporting links that leave them', async () => {
    const { api, close } = await connectApiClient(app.url);
    const listing = await api.call('listRecordings', { folder: home });
    expect(listing.recordings.map((r) => r.name)).toEqual(['clip.wav']);
    expect(listing.problems.map((p) => p.path).sort()).toEqual([join(home, 'linked.wav'), join(home, 'locked.wav'), join(home, 'x.wav')]);
    close();
  });

  it('shows the refusal in the workbench when a folder outside the roots is opened', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(app.url);
      // The demo opens first; a second open waits until it has.
      await page.getByTestId('dataset-metrics').waitFor({ timeout: 60_000 });
      await page.getByTestId('dataset-path').fill(outside);
      await page.getByTestId('dataset-sidebar').getByRole('button', { name: 'Open' }).click();
      const alert = page.getByTestId('dataset-sidebar').getByRole('alert');
      await expect.poll(() => alert.innerText(), { timeout: 30_000 }).toContain('is outside the folders Earshot may open');
      expect(await alert.innerText()).toContain('--root');
      await page.screenshot({ path: join(screenshotDir, 'outside-roots.png') });
    } finally {
      await browser.close();
    }
  });

  it('is still up after all of it', async () => {
    expect(app.process.exitCode).toBeNull();
    expect(await ping()).toBeGreaterThan(0);
  });
});
