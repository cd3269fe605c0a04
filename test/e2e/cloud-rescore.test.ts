/**
 * The lattice panel's "cloud" toggle in Chromium through the browser shell: with no language model in the
 * models folders it says so and how to build one; once one is installed (the small fixture model, as
 * training/lm/train.py writes it) it shows the 1-best before and after rescoring, and the LM scores on the arcs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, root, screenshotDir, startServe, type ServedApp, openWorkbench } from './harness';

const work = mkdtempSync(join(tmpdir(), 'earshot-cloud-'));
const models = join(work, 'models');
const ANALYSIS_MS = 240_000;
let app: ServedApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(models, { recursive: true });
  app = await startServe([], { EARSHOT_MODELS_DIR: models });
  browser = await launchChromium();
  page = await openWorkbench(browser, app.url, pageErrors, ANALYSIS_MS);
  await page.getByTestId('lattice-panel').waitFor({ timeout: ANALYSIS_MS });
}, ANALYSIS_MS + 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the cloud toggle of the lattice panel', () => {
  it('says when no language model is installed, and where one goes', async () => {
    await page.getByTestId('lattice-panel').scrollIntoViewIfNeeded();
    await page.getByTestId('cloud-toggle').click();
    await expect.poll(() => page.getByTestId('cloud-result').innerText()).toMatch(/No language model is installed: build one into .*models\/cloud-lm with training\/lm\/train\.py/);
  });

  it('shows the 1-best before and after rescoring, with LM scores on the arcs, once a model is installed', async () => {
    cpSync(join(root, 'test', 'fixtures', 'lm', 'cloud-lm-small'), join(models, 'cloud-lm'), { recursive: true });
    await page.getByTestId('cloud-toggle').click(); // off
    expect(await page.getByTestId('cloud-result').count()).toBe(0);
    await page.getByTestId('cloud-toggle').click(); // on: asks the host again
    const result = page.getByTestId('cloud-result');
    await expect.poll(() => result.innerText()).toMatch(/first pass\s+\S[\s\S]*rescored\s+\S[\s\S]*cloud-lm \(neural\), LM weight [\d.]+, insertion penalty -?[\d.]+ · \d+ candidates/);
    expect(await page.getByTestId('cloud-toggle').getAttribute('aria-pressed')).toBe('true');
    // The arcs of the rescored paths carry the LM's log-probability: the hover readout of one shows it.
    const lattice = page.getByTestId('lattice-view');
    const hovered = await lattice.locator('canvas').evaluate(async (canvas) => {
      const box = canvas.getBoundingClientRect();
      for (let y = 4; y < box.height; y += 4) {
        for (let x = box.width * 0.1; x < box.width * 0.9; x += box.width / 24) {
          canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: box.left + x, clientY: box.top + y, bubbles: true }));
          await new Promise((r) => setTimeout(r, 0));
          // Only arcs on the rescored paths have an LM score; a dense lattice has others beside them.
          const readout = document.querySelector('[data-testid="lattice-hover"]')?.textContent ?? '';
          if (canvas.parentElement?.dataset.hoverArc && / · lm -?\d/.test(readout)) return true;
        }
      }
      return false;
    });
    expect(hovered).toBe(true);
    await expect.poll(() => page.getByTestId('lattice-hover').innerText()).toMatch(/ · lm -?\d+\.\d\d/);
    await page.getByTestId('lattice-panel').screenshot({ path: join(screenshotDir, 'lattice-cloud.png') });
    expect(pageErrors).toEqual([]);
  });
});
