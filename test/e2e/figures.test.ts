/**
 * The figures on the demo, in Chromium through the browser shell: every SVG and PNG button
 * saves a figure with its title and labelled axes; no two labels of a plot overlap, at the
 * usual window size and at 1024×768, where the utterance's views keep their width and controls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotDir, startServe, type ServedApp } from './harness';

let app: ServedApp;
let browser: Browser;
let page: Page;

/** Every save button, and a label its figure must carry. */
const FIGURES = [
  { id: 'endpoint-timeline', label: 'time from utterance start (s)', also: ['end-of-query probability', 'trailing non-speech (s)', 'final (F) threshold'] },
  { id: 'attention-map', label: 'time from utterance start (s)', also: ['context entry', 'attention weight (√ scale)', 'no bias', 'anna mitchell'] },
  { id: 'pareto-plot', label: 'p50 latency after the true end', also: ['cut-off rate', 'End-pointer latency against cut-off rate'] },
  { id: 'lattice', label: 'time from utterance start (s)', also: ['Word lattice', 'selected path'] },
];

async function openDemo(width: number, height: number): Promise<void> {
  page = await browser.newPage({ viewport: { width, height }, acceptDownloads: true });
  await page.goto(app.url);
  await page.getByTestId('operating-point-final').waitFor({ timeout: 90_000 });
  await page.getByTestId('endpoint-timeline').waitFor({ timeout: 90_000 });
  await page.getByTestId('attention-axis').waitFor({ timeout: 90_000 });
}

async function download(testId: string): Promise<{ name: string; data: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), data: readFileSync((await file.path())!) };
}

/** Pairs of visible, non-empty text labels inside one plot whose boxes overlap. */
async function overlappingLabels(selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((plots) => {
    const clashes: string[] = [];
    for (const plot of plots) {
      const boxes = [...plot.querySelectorAll('text')]
        .filter((t) => (t.textContent ?? '').trim() && getComputedStyle(t).visibility !== 'hidden' && getComputedStyle(t).display !== 'none')
        .map((t) => ({ text: (t.textContent ?? '').trim(), r: t.getBoundingClientRect() }))
        .filter((b) => b.r.width > 0);
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i].r;
          const b = boxes[j].r;
          // Half a pixel of slack: glyph boxes of neighbouring rows touch.
          if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) clashes.push(`${plot.getAttribute('data-testid') ?? plot.tagName}: "${boxes[i].text}" × "${boxes[j].text}"`);
        }
    }
    return clashes;
  });
}

const PLOTS = '[data-testid="endpoint-timeline"], [data-testid="bias-strip"], [data-testid="attention-axis"], [data-testid="pareto-box"] svg';

beforeAll(async () => {
  app = await startServe();
  browser = await launchChromium();
  await openDemo(1600, 1000);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('figures', () => {
  it('saves every figure as SVG with its title, axes and legend', async () => {
    for (const figure of FIGURES) {
      const { name, data } = await download(`${figure.id}-svg`);
      const svg = data.toString('utf8');
      expect(name).toMatch(/\.svg$/);
      expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg).not.toContain('var(--');
      for (const label of [figure.label, ...figure.also]) expect(svg, `${figure.id} lacks "${label}"`).toContain(label.replace(/&/g, '&amp;'));
      // Well-formed XML: a viewer would refuse it otherwise.
      const problem = await page.evaluate((text) => new DOMParser().parseFromString(text, 'image/svg+xml').querySelector('parsererror')?.textContent ?? '', svg);
      expect(problem, figure.id).toBe('');
    }
  });

  it('saves every figure as PNG, framed wider than the bare plot', async () => {
    for (const figure of FIGURES) {
      const { name, data } = await download(`${figure.id}-png`);
      expect(name).toMatch(/\.png$/);
      expect(data.subarray(1, 4).toString('latin1')).toBe('PNG');
      const width = data.readUInt32BE(16);
      const height = data.readUInt32BE(20);
      // Drawn at twice the figure's size; the figure adds axes around the plot.
      expect(height, figure.id).toBeGreaterThan(120);
      expect(width, figure.id).toBeGreaterThan(400);
      expect(data.length, figure.id).toBeGreaterThan(4000);
    }
  });

  it('overlaps no two labels of a plot on the demo', async () => {
    await page.screenshot({ path: join(screenshotDir, 'figures-1600.png') });
    expect(await overlappingLabels(PLOTS)).toEqual([]);
  });

  it('keeps the utterance views usable at 1024×768, labels apart', async () => {
    await page.close();
    await openDemo(1024, 768);
    await page.screenshot({ path: join(screenshotDir, 'figures-1024.png') });
    const workspace = (await page.getByTestId('workspace').boundingBox())!;
    expect(workspace.width).toBeGreaterThanOrEqual(440);
    for (const title of ['Zoom in (+)', 'Zoom out (-)']) {
      const box = (await page.getByTitle(title).boundingBox())!;
      expect(box.x + box.width, title).toBeLessThanOrEqual(workspace.x + workspace.width);
    }
    expect(await overlappingLabels(PLOTS)).toEqual([]);
  });
});
