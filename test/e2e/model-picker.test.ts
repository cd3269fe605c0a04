/**
 * Choosing a model in Chromium through the browser shell: `earshot serve --model` starts the
 * workbench on the tiny fixture model, the picker switches to the shipped model, the results
 * say which model made them until the researcher re-analyses, and the Models panel lists both
 * folders and the catalog.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, root, screenshotDir, startServe, type ServedApp, openWorkbench } from './harness';
import { startArchiveServer, tarBz2Of, type ArchiveServer } from './archive-server';
import { folderBytes } from '../../src/engine/models/model-hash';
import { formatBytes } from '../../src/renderer/src/format';

const tinyModel = join(root, 'test', 'fixtures', 'tiny-model');
const shippedModel = join(root, 'resources', 'models', 'earshot-rnnt');
const work = mkdtempSync(join(tmpdir(), 'earshot-picker-'));
const ANALYSIS_MS = 240_000;
let app: ServedApp;
let server: ArchiveServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startArchiveServer();
  const catalog = join(work, 'catalog.json');
  const entry = { name: 'earshot-tiny', archive: 'earshot-tiny.tar.bz2', archiveBytes: null, licence: 'Apache-2.0', modelType: 'lstm', languages: ['en'], source: 'test fixture' };
  writeFileSync(catalog, JSON.stringify({ format: 'earshot-model-catalog', version: 1, baseUrl: 'https://example.invalid/', models: [entry] }));
  const env = { EARSHOT_CACHE: join(work, 'cache'), EARSHOT_MODELS_DIR: join(work, 'models'), EARSHOT_CATALOG: catalog, EARSHOT_CATALOG_URL: server.baseUrl };
  app = await startServe(['--model', tinyModel], env);
  browser = await launchChromium();
  page = await openWorkbench(browser, app.url, pageErrors, ANALYSIS_MS);
  await page.getByTestId('model-provenance').waitFor({ timeout: ANALYSIS_MS });
}, ANALYSIS_MS + 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await server?.close();
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
    // the runs list loads beside the analysis: wait for its run line, or the sidebar read here may lack it
    await expect.poll(() => page.getByTestId('shown-run').count(), { timeout: ANALYSIS_MS }).toBe(1);
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
    await expect.poll(() => panel.innerText()).toMatch(/PUBLISHED STREAMING TRANSDUCERS\s+Downloads go to .*models\.\s+earshot-tiny/i);
    // the folder's own size, as the panel formats it (graphs, tokens and the token LM)
    const onDisk = formatBytes(await folderBytes(shippedModel));
    expect(await page.getByTestId('installed-earshot-rnnt').innerText()).toMatch(new RegExp(`In use\\s+shipped · ${onDisk.replace('.', '\\.')} on disk`));
    await page.screenshot({ path: join(screenshotDir, 'model-picker.png') });

    await page.getByTestId('use-tiny-model').click();
    await expect.poll(() => picker.inputValue()).toBe(tinyModel);
    await page.getByTestId('reanalyse').click();
    await expect.poll(() => page.getByTestId('model-provenance').innerText(), { timeout: ANALYSIS_MS }).toMatch(/results: earshot-rnnt-tiny-smoke/);
    await expect.poll(() => page.getByTestId('dataset-sidebar').innerText()).toBe(tinyHyps);
    expect(pageErrors).toEqual([]);
  });

  it('downloads a catalog model with a progress bar, cancels, and resumes to a model it can use', async () => {
    const archive = await tarBz2Of(tinyModel, 'earshot-tiny');
    server.files.set('releases/earshot-tiny.tar.bz2', { bytes: archive, trickle: { chunk: 8 * 1024, everyMs: 100 } });
    const card = page.getByTestId('catalog-earshot-tiny');
    expect(await card.innerText()).toMatch(/lstm · en · Apache-2.0 · size not published/);
    await page.getByTestId('pull-earshot-tiny').click();
    const progress = page.getByTestId('progress-earshot-tiny');
    await expect.poll(() => progress.evaluate((p) => (p as HTMLProgressElement).value)).toBeGreaterThan(16 * 1024);
    await card.screenshot({ path: join(screenshotDir, 'model-download.png') });
    await page.getByTestId('cancel-earshot-tiny').click();
    await expect.poll(() => card.innerText()).toMatch(/cancelled after \d+ bytes \(it resumes from there\)/);

    server.files.set('releases/earshot-tiny.tar.bz2', { bytes: archive });
    await page.getByTestId('pull-earshot-tiny').click();
    await expect.poll(() => card.innerText(), { timeout: 60_000 }).toMatch(/installed/);
    expect(server.requests.at(-1)?.range).toMatch(/^bytes=\d+-$/);
    await page.getByTestId('use-earshot-tiny').click();
    await expect.poll(() => page.getByTestId('model-picker').inputValue()).toBe(join(work, 'models', 'earshot-tiny'));
    await page.getByTestId('models-panel').screenshot({ path: join(screenshotDir, 'models-panel.png') });
    expect(pageErrors).toEqual([]);
  });
});
