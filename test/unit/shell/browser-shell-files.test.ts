import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { PathGuard } from '../../../src/engine/session/path-guard';
import { mediaFileOf, serveAudio } from '../../../src/server/media-files';
import { serveStatic, staticFileOf } from '../../../src/server/static-files';

const dir = mkdtempSync(join(tmpdir(), 'earshot-shell-'));
const site = join(dir, 'site');
const audio = join(dir, 'clip.wav');
const secret = join(dir, 'secret.txt');
const roots = join(dir, 'roots');
const guard = new PathGuard([dir]);
let server: Server;
let base: string;

beforeAll(async () => {
  mkdirSync(site);
  mkdirSync(roots);
  writeFileSync(join(site, 'index.html'), '<p>app</p>');
  writeFileSync(audio, Buffer.from(Array.from({ length: 100 }, (_, i) => i)));
  writeFileSync(secret, 'do not serve');
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/media') void serveAudio(url.searchParams.get('path') ?? '', guard, req, res);
    else void serveStatic(site, url.pathname.slice(1), res, {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('files the browser shell serves', () => {
  it('serves the built renderer and nothing outside it', async () => {
    expect(await (await fetch(`${base}/index.html`)).text()).toBe('<p>app</p>');
    expect((await fetch(`${base}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${base}/..%2Fsecret.txt`)).status).toBe(404);
  });

  it('streams audio with byte ranges so long recordings seek without a full read', async () => {
    const whole = await fetch(`${base}/media?path=${encodeURIComponent(audio)}`);
    expect(whole.status).toBe(200);
    expect((await whole.arrayBuffer()).byteLength).toBe(100);
    const part = await fetch(`${base}/media?path=${encodeURIComponent(audio)}`, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/100');
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const beyond = await fetch(`${base}/media?path=${encodeURIComponent(audio)}`, { headers: { Range: 'bytes=500-' } });
    expect(beyond.status).toBe(416);
  });

  it('refuses to serve anything but audio files on the media route', async () => {
    expect((await fetch(`${base}/media?path=${encodeURIComponent(secret)}`)).status).toBe(404);
  });

  it('answers an empty file and a missing one', async () => {
    writeFileSync(join(dir, 'empty.wav'), '');
    const empty = await fetch(`${base}/media?path=${encodeURIComponent(join(dir, 'empty.wav'))}`);
    expect(empty.status).toBe(200);
    expect((await empty.arrayBuffer()).byteLength).toBe(0);
    expect((await fetch(`${base}/media?path=${encodeURIComponent(join(dir, 'gone.wav'))}`)).status).toBe(404);
  });
});

describe('which file a request names', () => {
  it('finds renderer files and refuses malformed or escaping paths', () => {
    expect(staticFileOf(site, '')).toBe(join(site, 'index.html'));
    expect(staticFileOf(site, 'assets/a%20b.js')).toBe(join(site, 'assets', 'a b.js'));
    expect(staticFileOf(site, '%')).toBeUndefined();
    expect(staticFileOf(site, '%E0%A4%A')).toBeUndefined();
    expect(staticFileOf(site, 'a%00.js')).toBeUndefined();
    expect(staticFileOf(site, '..%2Fsecret.txt')).toBeUndefined();
    expect(staticFileOf(site, '%2e%2e')).toBeUndefined();
  });

  it('streams only audio inside the roots, by the name asked for and by where links lead', () => {
    const inRoots = new PathGuard([roots]);
    writeFileSync(join(roots, 'a.wav'), 'RIFF');
    writeFileSync(join(roots, 'notes.txt'), 'text');
    symlinkSync(secret, join(roots, 'secret.wav'));
    symlinkSync(join(roots, 'notes.txt'), join(roots, 'notes.wav'));
    symlinkSync(audio, join(roots, 'outside.wav'));
    expect(mediaFileOf(join(roots, 'a.wav'), inRoots)).toEqual({ ok: true, file: join(roots, 'a.wav'), type: 'audio/wav' });
    expect(mediaFileOf(join(roots, 'notes.txt'), inRoots)).toMatchObject({ ok: false, status: 404 });
    expect(mediaFileOf(join(roots, 'notes.wav'), inRoots)).toMatchObject({ ok: false, status: 404 });
    expect(mediaFileOf(join(roots, 'secret.wav'), inRoots)).toMatchObject({ ok: false, status: 403 });
    expect(mediaFileOf(join(roots, 'outside.wav'), inRoots)).toMatchObject({ ok: false, status: 403 });
    expect(mediaFileOf(join(roots, '..', 'clip.wav'), inRoots)).toMatchObject({ ok: false, status: 403 });
    expect(mediaFileOf('', inRoots)).toMatchObject({ ok: false, status: 404 });
  });
});
