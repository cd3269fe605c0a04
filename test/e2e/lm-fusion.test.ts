/**
 * The token LM in the workbench, in Chromium through the browser shell: a copy of the shipped model
 * whose model.json names the fixture token LM (weight 0.4, bonus 0.5) analyses the demo data set.
 * The context editor says the LM is on with the model's weights, the n-best shows each entry's LM
 * score; an LM weight of 0 re-runs the utterance without it and clearing the field brings the
 * model's back; a re-run of the data set with weight 0 is a run labelled "no LM" beside "LM 0.4".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openWorkbench, root, screenshotDir, startServe, type ServedApp } from './harness';
import { modelWithTokenLm } from '../unit/lm/model-with-token-lm';

const work = mkdtempSync(join(tmpdir(), 'earshot-lm-ui-'));
const model = modelWithTokenLm(join(root, 'resources', 'models', 'earshot-rnnt'), join(work, 'earshot-rnnt-lm'));
const ANALYSIS_MS = 240_000;
const shot = (name: string) => join(screenshotDir, `${name}.png`);
let app: ServedApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const nbestParts = (): Promise<string[]> => page.getByTestId('nbest-parts').allInnerTexts();
const runLabels = (): Promise<string[]> => page.locator('[data-testid="run-row"] .settings').allInnerTexts();

/** Types a value into a number field and lets it go, as a researcher does. */
async function setField(testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).fill(value);
  await page.getByTestId(testId).dispatchEvent('change');
}

async function rerunUtterance(): Promise<void> {
  await page.getByTestId('rerun').click();
  await page.getByTestId('hyp-diff').waitFor({ timeout: 60_000 });
  await expect.poll(() => page.getByTestId('rerun').isEnabled(), { timeout: 60_000 }).toBe(true);
}

beforeAll(async () => {
  app = await startServe(['--model', model], { EARSHOT_CACHE: join(work, 'cache'), EARSHOT_MODELS_DIR: join(work, 'models') });
  browser = await launchChromium();
  page = await openWorkbench(browser, app.url, pageErrors, ANALYSIS_MS);
}, ANALYSIS_MS + 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the token LM in the workbench', () => {
  it("is on with the model's weights, and the n-best shows each entry's LM score", async () => {
    await expect.poll(() => page.getByTestId('model-summary').innerText()).toMatch(/token LM 0\.4/);
    await page.getByTestId('tab-context').click();
    expect(await page.getByTestId('lm-weight').getAttribute('placeholder')).toBe('0.4 (model)');
    expect(await page.getByTestId('lm-bonus').getAttribute('placeholder')).toBe('0.5 (model)');
    expect(await page.getByTestId('lm-status').innerText()).toBe("On: lm/tokens-4gram.arpa, weight 0.4, bonus 0.5 per token (the model's).");
    await expect.poll(nbestParts, { timeout: ANALYSIS_MS }).not.toEqual([]);
    for (const parts of await nbestParts()) expect(parts).toMatch(/^acoustic [+−][\d.]+ · bias [+−][\d.]+ · LM −[\d.]+$/);
    expect(await page.getByTestId('nbest-legend').innerText()).toMatch(/Total = acoustic \+ bias \+ LM/);
    await page.screenshot({ path: shot('lm-on') });
  });

  it('re-runs the utterance without the LM at weight 0, and with the model\'s again once the field is cleared', async () => {
    const withLm = await page.getByTestId('nbest-entry').first().getAttribute('data-score');
    await setField('lm-weight', '0');
    expect(await page.getByTestId('lm-status').innerText()).toBe('Off: the acoustic model alone.');
    expect(await page.getByTestId('lm-bonus').isDisabled()).toBe(true);
    await rerunUtterance();
    await expect.poll(nbestParts).not.toContainEqual(expect.stringMatching(/LM/));
    expect(await page.getByTestId('nbest-legend').innerText()).toMatch(/Total = acoustic \+ bias\./);
    expect(await page.getByTestId('nbest-entry').first().getAttribute('data-score')).not.toBe(withLm);
    await page.getByTestId('context-editor').screenshot({ path: shot('lm-off-context-editor') });
    await page.getByTestId('lattice-panel').screenshot({ path: shot('lm-off-nbest') });

    await setField('lm-weight', '');
    expect(await page.getByTestId('lm-status').innerText()).toMatch(/^On: .*, weight 0\.4, bonus 0\.5 per token \(the model's\)\.$/);
    await rerunUtterance();
    await expect.poll(() => page.getByTestId('nbest-entry').first().getAttribute('data-score')).toBe(withLm);
    for (const parts of await nbestParts()) expect(parts).toMatch(/ · LM −[\d.]+$/);
    await page.getByTestId('lattice-panel').screenshot({ path: shot('lm-on-nbest') });
  });

  it('re-runs the data set without the LM as a run whose label says so beside the first', async () => {
    await page.getByTestId('tab-runs').click();
    await expect.poll(runLabels, { timeout: ANALYSIS_MS }).toEqual([expect.stringMatching(/ · beam 4, LM 0\.4 · /)]);
    expect(await page.getByTestId('rerun-lm-weight').getAttribute('placeholder')).toBe('0.4 (model)');
    await page.getByTestId('rerun-per-utterance').check();
    await page.getByTestId('rerun-lm-weight').fill('0');
    expect(await page.getByTestId('rerun-name').getAttribute('placeholder')).toBe('no LM');
    await page.getByTestId('rerun-form').screenshot({ path: shot('lm-rerun-form') });
    await page.getByTestId('rerun-start').click();
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: ANALYSIS_MS }).toBe(2);
    expect(await runLabels()).toEqual([expect.stringMatching(/ · beam 4, LM 0\.4 · /), expect.stringMatching(/ · beam 4, no LM · /)]);
    await expect.poll(() => page.getByTestId('shown-run').innerText()).toMatch(/no LM/);
    // The shown run's decodes are the ones without the LM.
    await expect.poll(nbestParts).not.toContainEqual(expect.stringMatching(/LM/));
    await page.screenshot({ path: shot('lm-runs') });
    // The A/B view's run names carry the same labels.
    await page.getByTestId('compare-runs').click();
    await page.getByTestId('ab-view').waitFor();
    expect(await page.locator('[data-testid="ab-view"] h2 .a').getAttribute('title')).toMatch(/ · beam 4, LM 0\.4 · /);
    expect(await page.locator('[data-testid="ab-view"] h2 .b').getAttribute('title')).toMatch(/ · beam 4, no LM · /);
    expect(pageErrors).toEqual([]);
  });
});
