import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startServe, type ServedApp } from './harness';

let app: ServedApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startServe();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
  await page.goto(app.url);
  await page.getByTestId('operating-point-final').waitFor({ timeout: 90_000 });
  await page.getByTestId('endpoint-timeline').waitFor({ timeout: 90_000 });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function download(testId: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return readFileSync((await file.path())!);
}

describe('saving the plots', () => {
  it('saves the endpoint timeline as a self-contained SVG', async () => {
    const svg = (await download('endpoint-timeline-svg')).toString('utf8');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).not.toContain('var(--');
  });

  it('saves the Pareto plot and the attention map as PNG', async () => {
    for (const id of ['pareto-plot-png', 'attention-map-png']) {
      const png = await download(id);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.length).toBeGreaterThan(1000);
    }
  });
});
