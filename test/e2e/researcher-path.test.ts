/**
 * A researcher's day in the workbench, in Chromium through the browser shell: open a folder
 * through the host's folder browser (no typed paths), analyse it, apply tuned knobs, annotate,
 * filter, reload (everything comes back, no recovery banner for work already in view), save
 * into the suggested documents folder, reload again (the session file reopens), and reopen it
 * from the recent list. The corpus is three demo recordings whose audio sits in a subfolder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, root, screenshotDir, startServe, type ServedApp } from './harness';

const LOAD_MS = 120_000;
const home = mkdtempSync(join(tmpdir(), 'earshot-researcher-'));
const corpus = join(home, 'corpus');
const documents = join(home, 'Documents');
const CLIPS = [
  ['librivox_sentence_0001', 'call-anna', 'call anna mitchell on her mobile'],
  ['librivox_sentence_0002', 'timer-pause', 'set a timer for twenty minutes'],
  ['librivox_sentence_0003', 'weather-paris', 'what is the weather in paris tomorrow'],
] as const;
const ANNOTATED = 'librivox_sentence_0002';

let app: ServedApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const applied = { silence: '' };

const shot = (name: string) => join(screenshotDir, `researcher-${name}.png`);
const rows = () => page.getByTestId('utterance-row');
const row = (id: string) => page.locator(`[data-testid="utterance-row"][data-id="${id}"]`);
const visibleIds = async () => rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));

async function waitForCorpus(): Promise<void> {
  await expect.poll(() => page.getByTestId('dataset-name').innerText(), { timeout: LOAD_MS }).toBe('corpus');
  await page.getByTestId('dataset-metrics').waitFor({ timeout: LOAD_MS });
}

beforeAll(async () => {
  mkdirSync(join(corpus, 'audio'), { recursive: true });
  mkdirSync(documents);
  const lines = CLIPS.map(([id, demo, text]) => {
    copyFileSync(join(root, 'resources', 'demo', `${demo}.wav`), join(corpus, 'audio', `${id}.wav`));
    return JSON.stringify({ id, audio: `audio/${id}.wav`, text });
  });
  writeFileSync(join(corpus, 'manifest.jsonl'), `${lines.join('\n')}\n`);
  app = await startServe(['--root', home], { EARSHOT_DOCUMENTS: documents, EARSHOT_CACHE: join(home, 'cache') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(app.url);
  await page.getByTestId('dataset-metrics').waitFor({ timeout: LOAD_MS });
}, LOAD_MS + 30_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("a researcher's path through the workbench", () => {
  it('opens a folder through the folder browser, which stays inside the allowed root', async () => {
    await page.getByTestId('dataset-browse').click();
    const browserPanel = page.getByTestId('folder-browser');
    // The demo lies outside the root: the browser starts at the root instead.
    await expect.poll(() => browserPanel.getByTestId('browse-path').innerText()).toBe(home);
    expect(await browserPanel.getByTestId('browse-up').isDisabled()).toBe(true);
    await browserPanel.locator('[data-testid="browse-entry"][data-name="corpus"]').click();
    await expect.poll(() => browserPanel.getByTestId('browse-path').innerText()).toBe(corpus);
    await page.screenshot({ path: shot('folder-browser') });
    await browserPanel.getByTestId('browse-choose-folder').click();
    // Its manifest states no durations: the recordings' headers give them, and the short data set is analysed on open.
    await waitForCorpus();
    expect(await visibleIds()).toEqual(CLIPS.map(([id]) => id));
    expect(await row(ANNOTATED).locator('.cell--durationS').innerText()).toBe('0:04.2');
    // The whole id can be read on hover.
    expect(await row(ANNOTATED).locator('.cell--id').getAttribute('title')).toBe(ANNOTATED);
  });

  it('lists the recordings that sit in the manifest’s subfolder', async () => {
    await page.getByTestId('tab-recordings').click();
    const names = page.getByTestId('recording-row').locator('td:first-child');
    await expect.poll(() => names.allInnerTexts(), { timeout: 30_000 }).toEqual(CLIPS.map(([id]) => `audio/${id}.wav`));
  });

  it('applies tuned knobs to the session, which marks it changed', async () => {
    await page.getByTestId('tab-tuning').click();
    const slider = page.getByTestId('final-silence');
    await slider.fill('0.5');
    await page.getByTestId('apply-knobs').click();
    applied.silence = await slider.inputValue();
    expect(applied.silence).toBe('0.5');
    await page.getByTestId('session-dirty').waitFor();
    expect(await page.getByTestId('session-status').innerText()).toMatch(/knobs or runs changed/);
  });

  it('annotates an utterance', async () => {
    await row(ANNOTATED).click();
    await page.getByTestId('tab-annotations').click();
    const panel = page.getByTestId('annotation-panel');
    await panel.getByTestId('flag-bad-cutoff').click();
    await expect.poll(() => panel.getByTestId('flag-bad-cutoff').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.getByTestId('session-status').innerText()).toMatch(/saved to journal/);
  });

  it('asks before another data set replaces a session with unsaved changes', async () => {
    await page.getByTestId('dataset-path').fill(join(root, 'resources', 'demo'));
    await page.getByTestId('dataset-path').press('Enter');
    const guard = page.getByTestId('unsaved-guard');
    await guard.waitFor();
    expect(await guard.innerText()).toContain('applied end-pointer knobs');
    await page.screenshot({ path: shot('unsaved-guard') });
    await guard.getByTestId('unsaved-cancel').click();
    expect(await page.getByTestId('dataset-name').innerText()).toBe('corpus');
  });

  it('filters with comparisons, flags and text, and says why a filter is invalid', async () => {
    const filter = page.getByTestId('utterance-filter');
    const werOf = async (id: string) => parseFloat(await row(id).locator('.cell--wer').innerText());
    const all = await visibleIds();
    const expectedHigh = [];
    for (const id of all) if ((await werOf(id!)) > 30) expectedHigh.push(id);
    await filter.fill('wer>30');
    await expect.poll(visibleIds).toEqual(expectedHigh);

    await filter.fill('latency<0.3');
    const latencies = await page.getByTestId('utterance-row').locator('.cell--latencyS').allInnerTexts();
    for (const l of latencies) expect(parseFloat(l)).toBeLessThan(0.3);

    await filter.fill('sentence_0003 or id:0001');
    await expect.poll(visibleIds).toEqual(['librivox_sentence_0001', 'librivox_sentence_0003']);

    await filter.fill('snr>3');
    await expect.poll(() => page.getByTestId('filter-problem').innerText()).toContain('no numeric column "snr"');
    await page.screenshot({ path: shot('filter-problem') });
    await filter.fill('librivox -0001');
    await expect.poll(visibleIds).toEqual(['librivox_sentence_0002', 'librivox_sentence_0003']);
  });

  it('comes back after a reload with the data set, selection, knobs, annotation, panel and filter', async () => {
    await page.reload();
    await waitForCorpus();
    await expect.poll(() => page.locator('[data-testid="utterance-row"].selected').getAttribute('data-id'), { timeout: LOAD_MS }).toBe(ANNOTATED);
    expect(await page.getByTestId('utterance-filter').inputValue()).toBe('librivox -0001');
    await expect.poll(() => page.getByTestId('tab-annotations').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('annotation-panel').getByTestId('flag-bad-cutoff').getAttribute('aria-pressed')).toBe('true');
    // Work already in view is not offered back.
    expect(await page.getByTestId('restore-autosave').count()).toBe(0);
    await page.getByTestId('session-dirty').waitFor();
    await page.getByTestId('tab-tuning').click();
    expect(await page.getByTestId('final-silence').inputValue()).toBe(applied.silence);
    await page.screenshot({ path: shot('reloaded') });
  });

  it('saves into the documents folder it suggests, with the knobs and the annotation', async () => {
    await page.keyboard.press('Control+s');
    const prompt = page.getByTestId('session-prompt');
    const suggested = await prompt.getByTestId('path-input').inputValue();
    expect(suggested).toBe(join(documents, 'Earshot', 'corpus.earshot.json'));
    await prompt.getByTestId('path-submit').click();
    await expect.poll(() => page.getByTestId('session-status').innerText()).toMatch(/^saved/);
    expect(await page.getByTestId('session-dirty').count()).toBe(0);
    const saved = JSON.parse(readFileSync(suggested, 'utf8')) as { annotations: Record<string, { flags: string[] }>; endpointConfig: { final: { minTrailingSilenceS: number } } };
    expect(saved.annotations[ANNOTATED].flags).toEqual(['bad-cutoff']);
    expect(saved.endpointConfig.final.minTrailingSilenceS).toBe(Number(applied.silence));
  });

  it('reopens the saved session after a reload, and from the recent list', async () => {
    await page.reload();
    await expect.poll(() => page.getByTestId('session-file').innerText(), { timeout: LOAD_MS }).toContain('corpus.earshot.json');
    await expect.poll(() => page.locator('[data-testid="utterance-row"].selected').getAttribute('data-id'), { timeout: LOAD_MS }).toBe(ANNOTATED);
    expect(await page.getByTestId('restore-autosave').count()).toBe(0);
    expect(await page.getByTestId('session-dirty').count()).toBe(0);

    await page.getByTestId('session-open').click();
    await page.getByTestId('session-prompt').getByTestId('path-browse').click();
    const recent = page.getByTestId('folder-browser').getByTestId('recent-path').first();
    expect(await recent.innerText()).toBe(join(documents, 'Earshot', 'corpus.earshot.json'));
    await recent.click();
    await expect.poll(() => page.getByTestId('session-status').innerText(), { timeout: LOAD_MS }).toMatch(/^saved/);
    await page.getByTestId('tab-tuning').click();
    expect(await page.getByTestId('final-silence').inputValue()).toBe(applied.silence);
    // Saved into the researcher's file, the autosave is gone: nothing left to offer back.
    expect(existsSync(join(home, 'cache', 'autosave'))).toBe(true);
    expect(readdirSync(join(home, 'cache', 'autosave')).filter((f) => f.endsWith('.session.json'))).toEqual([]);
    await page.screenshot({ path: shot('reopened') });
  });

  it('exports every figure of the reopened session, each with its axes', async () => {
    // Its manifest has no context lists, so there is no attention map here (figures.test.ts saves it on the demo).
    for (const id of ['endpoint-timeline', 'pareto-plot', 'lattice']) {
      for (const kind of ['svg', 'png'] as const) {
        const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`${id}-${kind}`).click()]);
        const data = readFileSync((await file.path())!);
        if (kind === 'svg') expect(data.toString('utf8'), id).toMatch(/^<svg[^>]*xmlns=[\s\S]*(time from utterance start \(s\)|p50 latency after the true end)/);
        else expect(data.subarray(1, 4).toString('latin1'), id).toBe('PNG');
      }
    }
    expect(pageErrors).toEqual([]);
  });
});
