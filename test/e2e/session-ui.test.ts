/**
 * Sessions and annotations in the workbench, in Chromium through the browser shell: annotate
 * an utterance (corrected transcript, flag, true end dragged on the timeline), save, reload
 * the page, reopen the session and find everything as it was; then export. The tiny model
 * keeps it fast; what it recognises does not matter, only that the annotations re-score it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, root, screenshotDir, startServe, type ServedApp } from './harness';

const out = mkdtempSync(join(tmpdir(), 'earshot-session-ui-'));
const sessionFile = join(out, 'annotated.earshot.json');
const UTTERANCE = 'timer-pause';
const LOAD_MS = 120_000;

let app: ServedApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** What the annotated utterance and the corpus showed once annotated, to compare after the reopen. */
const annotated = { hyp: '', rowWer: '', corpusWer: '', trueEnd: '' };

const shot = (name: string) => join(screenshotDir, `${name}.png`);
const row = (id: string) => page.locator(`[data-testid="utterance-row"][data-id="${id}"]`);
const corpusWer = async () => /WER\s+(\S+ %|–)/.exec(await page.getByTestId('dataset-metrics').innerText())?.[1] ?? '';
const rowWer = async (id: string) => (await row(id).locator('.cell--wer').innerText()).trim();

async function waitForAnalysedDemo(): Promise<void> {
  await page.getByTestId('dataset-metrics').waitFor({ timeout: LOAD_MS });
  // The demo has nine utterances (expect.poll is not allowed in beforeAll).
  await page.getByTestId('utterance-row').nth(8).waitFor({ timeout: LOAD_MS });
}

beforeAll(async () => {
  app = await startServe([], { EARSHOT_MODEL: join(root, 'test', 'fixtures', 'tiny-model'), EARSHOT_CACHE: join(out, 'cache') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.addInitScript(() => localStorage.setItem('earshot-theme', 'light'));
  await page.goto(app.url);
  await waitForAnalysedDemo();
}, LOAD_MS + 30_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('sessions and annotations in the workbench', () => {
  it('annotates an utterance: corrected transcript, a flag and the true end dragged on the timeline', async () => {
    await row(UTTERANCE).click();
    await expect.poll(() => page.locator('[data-testid="utterance-row"].selected').getAttribute('data-id')).toBe(UTTERANCE);
    const marker = page.locator('[data-testid="endpoint-timeline"] [data-testid="reference-end"]');
    await marker.waitFor({ timeout: LOAD_MS });
    // The hypothesis line goes on with its WER and decode time after a " · ".
    await expect.poll(() => page.getByTestId('hyp').innerText()).toContain('WER');
    annotated.hyp = (await page.getByTestId('hyp').innerText()).split(' · ')[0].trim();
    expect(annotated.hyp.length).toBeGreaterThan(0);
    const werBefore = await corpusWer();

    await page.getByTestId('tab-annotations').click();
    const panel = page.getByTestId('annotation-panel');
    expect(await panel.getByTestId('original-text').innerText()).toBe('set a timer for twenty minutes');
    // Correcting the reference to what was recognised leaves no word errors on this utterance.
    await panel.getByTestId('corrected-text').fill(annotated.hyp);
    await panel.getByTestId('apply-correction').click();
    await expect.poll(() => panel.getByTestId('wer-after').innerText()).toBe('0.0 %');
    await expect.poll(() => rowWer(UTTERANCE)).toBe('0 %');
    await expect.poll(corpusWer).not.toBe(werBefore);

    await panel.getByTestId('flag-bad-cutoff').click();
    await expect.poll(() => panel.getByTestId('flag-bad-cutoff').getAttribute('aria-pressed')).toBe('true');
    await panel.getByTestId('tag-input').fill('noisy');
    await panel.getByTestId('tag-input').press('Enter');
    await expect.poll(() => panel.getByTestId('annotation-tags').innerText()).toContain('noisy');
    // Notes go out when the field is left.
    await panel.getByTestId('annotation-notes').fill('the talker pauses before "minutes"');
    await panel.getByTestId('annotation-notes').press('Tab');

    // Drag the reference end 40 px to the left: the true end is marked and the latency re-scored.
    const box = (await marker.locator('.grip').boundingBox()) ?? (await marker.boundingBox());
    expect(box).not.toBeNull();
    const x = box!.x + box!.width / 2;
    const y = box!.y + box!.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x - 20, y, { steps: 4 });
    await page.mouse.move(x - 40, y, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => panel.getByTestId('true-end').innerText(), { timeout: 20_000 }).toMatch(/\d\.\d{3} s\s+marked/);
    annotated.trueEnd = /(\d+\.\d{3}) s/.exec(await panel.getByTestId('true-end').innerText())![1];
    await expect.poll(() => panel.getByTestId('latency-after').innerText()).not.toBe(await panel.getByTestId('latency-before').innerText());

    // With no session file yet, the annotations wait in the host's journal.
    expect(await page.getByTestId('session-status').innerText()).toMatch(/saved to journal/);
    annotated.rowWer = await rowWer(UTTERANCE);
    annotated.corpusWer = await corpusWer();
    await page.screenshot({ path: shot('session-annotations') });
  });

  it('saves to a path it asks for the first time (Ctrl+S)', async () => {
    await page.keyboard.press('Control+s');
    const prompt = page.getByTestId('session-prompt');
    await prompt.getByTestId('path-input').fill(sessionFile);
    await prompt.getByTestId('path-submit').click();
    await expect.poll(() => page.getByTestId('session-status').innerText()).toMatch(/^saved/);
    expect(await page.getByTestId('session-file').innerText()).toContain('annotated.earshot.json');
    expect(existsSync(sessionFile)).toBe(true);
  });

  it('reopens the session after a reload with the annotation, the selection and the metrics restored', async () => {
    await page.reload();
    await waitForAnalysedDemo();
    await page.getByTestId('session-open').click();
    const prompt = page.getByTestId('session-prompt');
    await prompt.getByTestId('path-input').fill(sessionFile);
    await prompt.getByTestId('path-submit').click();

    await expect.poll(() => page.getByTestId('session-file').innerText(), { timeout: LOAD_MS }).toContain('annotated.earshot.json');
    await expect.poll(() => page.locator('[data-testid="utterance-row"].selected').getAttribute('data-id'), { timeout: LOAD_MS }).toBe(UTTERANCE);
    // The annotation panel was open when it was saved.
    const panel = page.getByTestId('annotation-panel');
    await panel.waitFor();
    expect(await page.getByTestId('tab-annotations').getAttribute('aria-selected')).toBe('true');
    expect(await panel.getByTestId('corrected-text').inputValue()).toBe(annotated.hyp);
    expect(await panel.getByTestId('flag-bad-cutoff').getAttribute('aria-pressed')).toBe('true');
    expect(await panel.getByTestId('annotation-tags').innerText()).toContain('noisy');
    expect(await panel.getByTestId('annotation-notes').inputValue()).toBe('the talker pauses before "minutes"');
    expect(await panel.getByTestId('true-end').innerText()).toContain(`${annotated.trueEnd} s`);
    await expect.poll(() => rowWer(UTTERANCE)).toBe(annotated.rowWer);
    await expect.poll(corpusWer).toBe(annotated.corpusWer);
    await expect.poll(() => panel.getByTestId('wer-after').innerText()).toBe('0.0 %');
    // The restored utterance is drawn in full: its log-mel arrives a moment after the waveform.
    await expect.poll(() => page.getByText('zoom in to a minute or less').count(), { timeout: 20_000 }).toBe(0);
    await page.screenshot({ path: shot('session-reopened') });
  });

  it('writes each annotation into the session file once it has one', async () => {
    await page.getByTestId('annotation-panel').getByTestId('flag-late-endpoint').click();
    await expect.poll(() => page.getByTestId('session-status').innerText()).toMatch(/^saved \d/);
    const saved = JSON.parse(readFileSync(sessionFile, 'utf8')) as { annotations: Record<string, { flags: string[] }>; view: Record<string, unknown> };
    expect(saved.annotations[UTTERANCE].flags).toEqual(['bad-cutoff', 'late-endpoint']);
    expect(saved.view).toMatchObject({ selectedId: UTTERANCE, panel: 'annotations', theme: 'light' });
  });

  it('exports CSV and TextGrid into a folder', async () => {
    for (const [format, dir] of [
      ['csv', join(out, 'csv')],
      ['textgrid', join(out, 'textgrid')],
    ] as const) {
      if (!(await page.getByTestId('export-menu').isVisible())) await page.getByTestId('export-toggle').click();
      const menu = page.getByTestId('export-menu');
      await menu.getByTestId('export-format').selectOption(format);
      await menu.getByTestId('path-input').fill(dir);
      await menu.getByTestId('path-submit').click();
      await expect.poll(() => menu.getByTestId('export-files').innerText(), { timeout: 30_000 }).toContain(dir);
    }
    await page.screenshot({ path: shot('session-export') });
    expect(readdirSync(join(out, 'csv')).some((f) => f.endsWith('.csv'))).toBe(true);
    expect(readdirSync(join(out, 'textgrid'))).toContain(`${UTTERANCE}.TextGrid`);
  });

  it('reports a moved recording and re-links it from a folder', async () => {
    // The same session with one recording's path pointing where the file no longer is.
    const moved = join(out, 'moved.earshot.json');
    const session = JSON.parse(readFileSync(sessionFile, 'utf8')) as { recordings: { path: string }[] };
    const timer = session.recordings.find((r) => r.path.endsWith('timer-pause.wav'))!;
    timer.path = join(out, 'gone', 'timer-pause.wav');
    writeFileSync(moved, JSON.stringify(session));

    await page.getByTestId('session-open').click();
    await page.getByTestId('session-prompt').getByTestId('path-input').fill(moved);
    await page.getByTestId('session-prompt').getByTestId('path-submit').click();
    const missing = page.getByTestId('missing-audio');
    await expect.poll(() => missing.innerText(), { timeout: LOAD_MS }).toContain('gone/timer-pause.wav');
    await page.screenshot({ path: shot('session-missing-audio') });

    await missing.getByRole('button', { name: 'Re-link from folder…' }).click();
    await missing.getByTestId('path-input').fill(join(root, 'resources', 'demo'));
    await missing.getByTestId('path-submit').click();
    await expect.poll(() => page.getByTestId('session-banner').innerText(), { timeout: 30_000 }).toContain('re-linked 1 recording');
    expect(await missing.count()).toBe(0);
    // The notice comes before the save that follows it has reached the disk.
    await expect
      .poll(() => (JSON.parse(readFileSync(moved, 'utf8')) as typeof session).recordings.map((r) => r.path))
      .toContain(join(root, 'resources', 'demo', 'timer-pause.wav'));
  });

  it('offers back the work an earlier run autosaved, never this window’s own, and not again once dismissed', async () => {
    // Another run knows nothing of this window: forget what it remembers to stand for one. The
    // forgetting happens in the new page before the app starts, since the old page may still
    // write its memory while it winds down (a save's answer arriving late).
    await page.addInitScript(() => {
      if (sessionStorage.getItem('earshot-test-forget') === '1') {
        sessionStorage.removeItem('earshot-test-forget');
        localStorage.removeItem('earshot-work');
      }
    });
    const asAnotherRun = async () => {
      await page.evaluate(() => sessionStorage.setItem('earshot-test-forget', '1'));
      await page.reload();
      await waitForAnalysedDemo();
    };
    // The first annotations were saved to a file, so that autosave is gone: nothing to offer.
    await asAnotherRun();
    expect(await page.getByTestId('restore-autosave').count()).toBe(0);
    // A new annotation that is never saved goes to the autosave.
    await row(UTTERANCE).click();
    await page.getByTestId('tab-annotations').click();
    await page.getByTestId('annotation-panel').getByTestId('flag-late-endpoint').click();
    await expect.poll(() => page.getByTestId('session-status').innerText()).toMatch(/saved to journal/);
    // This window's own unsaved work comes back by itself after a reload: no banner.
    await page.reload();
    await waitForAnalysedDemo();
    await expect.poll(() => page.getByTestId('annotation-panel').getByTestId('flag-late-endpoint').getAttribute('aria-pressed'), { timeout: LOAD_MS }).toBe('true');
    expect(await page.getByTestId('restore-autosave').count()).toBe(0);
    expect(await page.getByTestId('session-status').innerText()).toMatch(/saved to journal/);

    await asAnotherRun();
    const restore = page.getByTestId('restore-autosave');
    await restore.waitFor({ timeout: 20_000 });
    await page.screenshot({ path: shot('session-autosave-offer') });
    await restore.click();
    await expect.poll(() => page.getByTestId('dataset-sidebar').innerText(), { timeout: LOAD_MS }).toContain('session · 9');
    await row(UTTERANCE).click();
    await page.getByTestId('tab-annotations').click();
    const panel = page.getByTestId('annotation-panel');
    await expect.poll(() => panel.getByTestId('flag-late-endpoint').getAttribute('aria-pressed')).toBe('true');
    expect(await panel.getByTestId('flag-bad-cutoff').getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByTestId('session-file').innerText()).toContain('unsaved session');
    expect(await page.getByTestId('session-status').innerText()).toMatch(/saved to journal/);

    // Still unsaved, so offered to yet another run; dismissed there, it is not offered again.
    await asAnotherRun();
    await page.getByTestId('dismiss-autosave').click();
    expect(await page.getByTestId('restore-autosave').count()).toBe(0);
    await asAnotherRun();
    expect(await page.getByTestId('restore-autosave').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
