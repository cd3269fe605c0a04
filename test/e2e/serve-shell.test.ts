import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import WebSocket from 'ws';
import { connectApiClient } from './api-client';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshotDir, startServe, type ServedApp } from './harness';

let app: ServedApp;
let browser: Browser;

beforeAll(async () => {
  app = await startServe();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the browser shell', () => {
  it('prints a loopback URL that carries a token', () => {
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/t\/[A-Za-z0-9_-]{20,}\/$/);
  });

  it('opens the app and lists the demo recordings from their headers', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(app.url);
    await page.getByTestId('tab-recordings').click();
    const rows = page.getByTestId('recording-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(9);
    const text = await page.getByTestId('recordings').innerText();
    expect(text).toContain('call-anna.wav');
    expect(text).toContain('timer-pause.wav');
    expect(text).toContain('16 kHz');
    await page.screenshot({ path: join(screenshotDir, 'recordings.png') });
    await page.close();
  });

  it('refuses a page request without the token', async () => {
    const origin = new URL(app.url).origin;
    expect((await fetch(`${origin}/`)).status).toBe(403);
    expect((await fetch(`${origin}/index.html`)).status).toBe(403);
    expect((await fetch(`${origin}/t/not-the-token/`)).status).toBe(403);
  });

  it('refuses a WebSocket without the token', async () => {
    const origin = new URL(app.url).origin.replace(/^http/, 'ws');
    const socket = new WebSocket(`${origin}/t/wrong/ws`);
    const outcome = await new Promise<string>((resolve) => {
      socket.once('open', () => resolve('open'));
      socket.once('unexpected-response', (_req, res) => resolve(`status ${res.statusCode}`));
      socket.once('error', () => resolve('error'));
    });
    expect(outcome).not.toBe('open');
    socket.terminate();
  });

  it('rejects invalid params with a message that names the field', async () => {
    const { api, close } = await connectApiClient(app.url);
    await expect(api.call('listRecordings', { folder: '' })).rejects.toThrow(/invalid params for listRecordings: folder/);
    await expect(api.call('busyWait', { ms: -5 })).rejects.toThrow(/invalid params for busyWait: ms/);
    close();
  });

  it('answers a quick request while a slow one is still running', async () => {
    const { api, close } = await connectApiClient(app.url);
    const finished: string[] = [];
    const started = performance.now();
    const slow = api.call('busyWait', { ms: 2000 }).then(() => finished.push('slow'));
    const quick = api.call('ping', {}).then(() => {
      finished.push('quick');
      return performance.now() - started;
    });
    const quickMs = await quick;
    await slow;
    expect(finished).toEqual(['quick', 'slow']);
    expect(quickMs).toBeLessThan(1000);
    close();
  });

  it('cancels a long request on demand', async () => {
    const { api, close } = await connectApiClient(app.url);
    const pending = api.call('busyWait', { ms: 5000 }, undefined, 'long-one');
    setTimeout(() => api.cancel('long-one'), 200);
    await expect(pending).rejects.toThrow(/cancelled/);
    close();
  });
});
