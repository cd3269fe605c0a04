/**
 * Choosing a model in Chromium through the browser shell: `earshot serve --model` starts the
 * workbench on the tiny fixture model, the picker switches to the shipped model, the results
 * say which model made them until the researcher re-analyses, and the Models panel lists both
 * folders and the catalog.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, root, screenshotDir, startServe, type ServedApp } from './harness';

const tinyModel = join(root, 'test', 'fixtures', 'tiny-model');
const shippedModel = join(root, 'resources', 'models', 'earshot-rnnt');
const work = mkdtempSync(join(tmpdir(), 'earshot-picker-'));
const ANALYSIS_MS = 240_000;
let app: ServedApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  app = await startServe(['--model', tinyModel], { EARSHOT_CACHE: join(work, 'cache'), EARSHOT_MODELS_DIR: join(work, 'models') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.addInitScript(() => localStorage.setItem('earshot-theme', 'light'));
  await page.goto(app.url);
  await page.getByTestId('dataset-metrics').waitFor({ timeout: ANALYSIS_MS });
  await page.getByTestId('model-provenance').waitFor({ timeout: ANALYSIS_MS });
}, ANALYSIS_MS + 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the model picker', () => {
  it('starts on the model `earshot serve --model` named, and says it made the results', async () => {
    const picker = page.getByTestId('model-picker');
    expect(await picker.inputValue()).toBe(tinyModel);
    expect(await page.getByTestId('model-summary').innerText()).toMatch(/lstm · 29 tokens · 320 ms chunks · 80 mel · 55 % sparse · attention biasing/);
    expect(await page.getByTestId('model-provenance').innerText()).toMatch(/results: earshot-rnnt-tiny-smoke [0-9a-f]{8}/);
    const options = await picker.locator('option').allInnerTexts();
    expect(options).toEqual(['earshot-rnnt (shipped)', 'tiny-model (--model)']);
  });

  it('switches to the shipped model, re-analyses when asked, and switches back', async () => {
    const picker = page.getByTestId('model-picker');
    const tinyHyps = await page.getByTestId('dataset-sidebar').innerText();
    await picker.selectOption(shippedModel);
    await expect.poll(() => page.getByTestId('model-summary').innerText()).toMatch(/lstm · 29 tokens · 320 ms chunks/);
    // The results on screen are still the tiny model's until the researcher asks for new ones.
    await expect.poll(() => page.getByTestId('model-stale').innerText()).toMatch(/results by earshot-rnnt-tiny-smoke\s+[0-9a-f]{8}/);
    await page.screenshot({ path: join(screenshotDir, 'model-picker-switched.png') });
    await page.getByTestId('reanalyse').click();
    await expect.poll(() => page.getByTestId('model-provenance').innerText(), { timeout: ANALYSIS_MS }).toMatch(/results: earshot-rnnt [0-9a-f]{8}/);
    expect(await page.getByTestId('model-stale').count()).toBe(0);
    await expect.poll(() => page.getByTestId('dataset-sidebar').innerText(), { timeout: ANALYSIS_MS }).not.toBe(tinyHyps);

    await page.getByTestId('tab-models').click();
    const panel = page.getByTestId('models-panel');
    await expect.poll(() => panel.innerText()).toContain('sherpa-onnx-streaming-zipformer-en-2023-06-26');
    expect(await page.getByTestId('installed-earshot-rnnt').innerText()).toMatch(/shipped · 10\.\d MB[\s\S]*In use/);
    await page.screenshot({ path: join(screenshotDir, 'model-picker.png') });

    await page.getByTestId('use-tiny-model').click();
    await expect.poll(() => picker.inputValue()).toBe(tinyModel);
    await page.getByTestId('reanalyse').click();
    await expect.poll(() => page.getByTestId('model-provenance').innerText(), { timeout: ANALYSIS_MS }).toMatch(/results: earshot-rnnt-tiny-smoke/);
    await expect.poll(() => page.getByTestId('dataset-sidebar').innerText()).toBe(tinyHyps);
    expect(pageErrors).toEqual([]);
  });
});
