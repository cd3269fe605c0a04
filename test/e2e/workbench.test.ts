/**
 * The workbench in Chromium through the browser shell, on real results: the shipped model
 * on the demo recordings. Each view is checked and photographed into test-output/e2e/, and
 * the linked interactions are exercised: thresholds move markers and Pareto points, a
 * lattice arc click selects a path, a heatmap click seeks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, screenshotDir, startServe, type ServedApp, openWorkbench } from './harness';

let app: ServedApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** A cache of its own: peaks and the autosave journal of an earlier run must not leak in (a "restore unsaved work" offer). */
const cacheDir = mkdtempSync(join(tmpdir(), 'earshot-e2e-cache-'));

const shot = (name: string) => join(screenshotDir, `${name}.png`);
const ANALYSIS_MS = 240_000;

async function sliderTo(slider: Locator, value: number): Promise<void> {
  await slider.evaluate((el, v) => {
    const input = el as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

beforeAll(async () => {
  app = await startServe([], { EARSHOT_CACHE: cacheDir });
  browser = await launchChromium();
  // The start-up sequence: the demo manifest opens, its first utterance is decoded, the data set is analysed and swept.
  page = await openWorkbench(browser, app.url, pageErrors, ANALYSIS_MS);
  await page.getByTestId('operating-point-final').waitFor({ timeout: ANALYSIS_MS });
  await page.getByTestId('endpoint-timeline').waitFor({ timeout: ANALYSIS_MS });
}, ANALYSIS_MS + 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('the workbench on the demo data set', () => {
  it('opens the demo manifest with references, analyses it and selects the first utterance', async () => {
    await expect.poll(() => page.getByTestId('utterance-row').count()).toBe(9);
    const sidebar = await page.getByTestId('dataset-sidebar').innerText();
    for (const id of ['call-anna', 'kitchen-lights', 'message-priya', 'timer-pause', 'weather-paris']) expect(sidebar).toContain(id);
    expect(await page.getByTestId('dataset-metrics').innerText()).toMatch(/WER\s+\d/);
    await expect.poll(() => page.locator('[data-testid="utterance-row"].selected').getAttribute('data-id')).toBe('call-anna');
    expect((await page.getByTestId('hyp').innerText()).trim().length).toBeGreaterThan(3);
    expect(await page.getByTestId('model-info').innerText()).toMatch(/tokens/);
    await page.screenshot({ path: shot('workbench') });
    await page.getByTestId('dataset-sidebar').screenshot({ path: shot('sidebar') });
  });

  it('draws the waveform from the engine’s peaks, with the log-mel under it on the same scale', async () => {
    const waveform = page.getByTestId('waveform');
    await expect.poll(() => waveform.getAttribute('data-ready'), { timeout: 30_000 }).toMatch(/call-anna\.wav$/);
    await waveform.screenshot({ path: shot('waveform') });
    const logmel = page.getByTestId('logmel');
    const [waveBox, melBox] = [await waveform.locator('canvas').first().boundingBox(), await logmel.boundingBox()];
    expect(melBox && waveBox && Math.abs(melBox.x - waveBox.x)).toBeLessThan(2);
    // The spectrogram is painted (not a blank canvas).
    const painted = await logmel.evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let lit = 0;
      for (let i = 0; i < data.length; i += 4 * 97) if (data[i] + data[i + 1] + data[i + 2] > 60) lit++;
      return lit;
    });
    expect(painted).toBeGreaterThan(50);
    await logmel.screenshot({ path: shot('logmel') });
  });

  it('shows the end-pointers on the timeline: reference end, fires, curves and partial hypotheses', async () => {
    const timeline = page.getByTestId('endpoint-timeline');
    expect(await timeline.locator('[data-testid="reference-end"]').getAttribute('data-time')).toMatch(/^\d+\.\d{3}$/);
    expect(await timeline.locator('[data-event="final"]').count()).toBeGreaterThan(0);
    expect(await timeline.locator('[data-curve="silence-final"]').getAttribute('d')).toMatch(/^M/);
    expect(await timeline.locator('[data-threshold="silence-final"]').count()).toBe(1);
    expect((await timeline.locator('.partials text').allTextContents()).join(' ').trim().length).toBeGreaterThan(0);
    await timeline.screenshot({ path: shot('endpoint-timeline') });
  });

  it('moving a threshold moves the markers and the Pareto point', async () => {
    const final = page.locator('[data-testid="endpoint-timeline"] [data-event="final"]').first();
    const point = page.getByTestId('operating-point-final');
    const line = page.locator('[data-threshold="silence-final"]');
    const before = { marker: await final.getAttribute('data-time'), latency: await point.getAttribute('data-latency'), line: await line.getAttribute('transform') };
    // End-of-query off, so the final end-pointer fires on trailing silence alone; then a longer silence.
    await page.getByTestId('knobs-final').locator('input[type="checkbox"]').uncheck();
    await sliderTo(page.getByTestId('final-silence'), 1.2);
    await expect.poll(() => line.getAttribute('transform')).not.toBe(before.line);
    await expect.poll(() => point.getAttribute('data-latency'), { timeout: 20_000 }).not.toBe(before.latency);
    await expect.poll(async () => ((await final.count()) === 0 ? 'gone' : await final.getAttribute('data-time')), { timeout: 20_000 }).not.toBe(before.marker);
    const latencyAt12 = Number(await point.getAttribute('data-latency'));
    await sliderTo(page.getByTestId('final-silence'), 0.3);
    await expect.poll(async () => Number(await point.getAttribute('data-latency')), { timeout: 20_000 }).toBeLessThan(latencyAt12);
    await page.getByTestId('workspace').screenshot({ path: shot('threshold-moved') });
    await page.getByTestId('tuning-panel').screenshot({ path: shot('tuning-panel') });
    expect(await page.getByTestId('outcome-row').count()).toBe(9);
  });

  it('applies the tuned knobs to the session: the sidebar summary then agrees with the tuning panel', async () => {
    const sidebarFinal = async () => /final p50\s+(\S+) s[\s\S]*cut-off\s+(\S+ %)[\s\S]*no-fire\s+(\S+ %)/.exec(await page.getByTestId('dataset-metrics').innerText())?.slice(1) ?? [];
    const before = await sidebarFinal();
    const panel = page.getByTestId('tuning-metrics').locator('tr.m--final td');
    // A setting whose figures differ from the session's: 0.8 s of silence alone.
    await sliderTo(page.getByTestId('final-silence'), 0.8);
    await expect.poll(async () => (await panel.first().innerText()).replace(' s', ''), { timeout: 20_000 }).not.toBe(`${before[0]}0`);
    await expect.poll(() => page.getByTestId('tuning-panel').getByText('evaluating…').count()).toBe(0);
    await page.getByTestId('apply-knobs').click();
    await expect.poll(() => page.getByTestId('apply-knobs').isDisabled()).toBe(true);
    const [p50, , cutoff, noFire] = await panel.allInnerTexts();
    const expected = [Number(p50.replace(' s', '')).toFixed(2), cutoff, noFire];
    await expect.poll(sidebarFinal, { timeout: 20_000 }).toEqual(expected);
    expect(expected).not.toEqual(before);
    // Every number says what it counts.
    expect(await page.getByTestId('tuning-metrics').locator('caption').innerText()).toMatch(/no-fires included; cut-off: fired more than 0 ms before the reference end; a no-fire counts at the 20 s timeout/);
    expect(await page.getByTestId('tuning-resets').innerText()).toMatch(/per utterance.*speculative fires/);
  });

  it('dragging the reference end annotates the true end of speech', async () => {
    const reference = page.locator('[data-testid="endpoint-timeline"] [data-testid="reference-end"]');
    const before = Number(await reference.getAttribute('data-time'));
    const grip = (await reference.locator('.grip').boundingBox())!;
    await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await page.mouse.down();
    await page.mouse.move(grip.x + grip.width / 2 + 40, grip.y + grip.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('decision-summary').innerText(), { timeout: 20_000 }).toContain('(annotation)');
    // The utterance's analysis is reloaded with the annotation: let it land before the next test.
    await expect.poll(() => page.getByTestId('analysing').count(), { timeout: 20_000 }).toBe(0);
    expect(Number(await reference.getAttribute('data-time'))).toBeGreaterThan(before);
  });

  it('a heatmap click seeks the audio, and hovering reads out the weight and the token', async () => {
    const map = page.getByTestId('attention-map').locator('canvas');
    await map.waitFor();
    const box = (await map.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.45, box.y + 4);
    expect(await page.getByTestId('attention-tip').innerText()).toMatch(/weight \d\.\d{3}.*(emitted|no token)/);
    const before = await page.getByTestId('playhead-time').innerText();
    await page.mouse.click(box.x + box.width * 0.45, box.y + 4);
    await expect.poll(() => page.getByTestId('playhead-time').innerText()).not.toBe(before);
    await page.getByTestId('attention-map').screenshot({ path: shot('attention-map') });
    await page.getByTestId('bias-strip').screenshot({ path: shot('bias-strip') });
  });

  it('clicking a lattice arc selects a path, kept in sync with the n-best list', async () => {
    const lattice = page.getByTestId('lattice-view');
    expect(Number(await lattice.getAttribute('data-arcs'))).toBeGreaterThan(0);
    // Its density, what it costs to send against the audio, and how close its best path comes to the reference.
    expect(await page.getByTestId('lattice-arcs-per-s').innerText()).toMatch(/^\d+\.\d arcs\/s$/);
    expect(await page.getByTestId('lattice-bandwidth').innerText()).toMatch(/SLF\.gz [\d.]+ (B|KB) = \d+\.\d\d % of 16-bit PCM, \d+\.\d\d % of Opus 24 kbit\/s \(nominal\)/);
    expect(await page.getByTestId('lattice-oracle').innerText()).toMatch(/^oracle errors: n-best \d+, lattice \d+ of \d+ words$/);
    expect(await page.getByTestId('dataset-oracle').innerText()).toMatch(/oracle n-best \d+\.\d % · lattice \d+\.\d %/);
    expect(await page.getByTestId('oracle-wer').first().innerText()).toMatch(/^\d+ %$/);
    // The workspace scrolls: bring the lattice under the (real) pointer first.
    await page.getByTestId('lattice-panel').scrollIntoViewIfNeeded();
    // Find a point on an arc by sweeping pointer events over the canvas (it draws on canvas, not SVG).
    const target = await lattice.locator('canvas').evaluate(async (canvas) => {
      const box = canvas.getBoundingClientRect();
      for (let y = 4; y < box.height; y += 4) {
        for (let x = box.width * 0.1; x < box.width * 0.9; x += box.width / 24) {
          canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: box.left + x, clientY: box.top + y, bubbles: true }));
          await new Promise((r) => setTimeout(r, 0));
          if (canvas.parentElement?.dataset.hoverArc) return { x, y };
        }
      }
      return null;
    });
    expect(target).not.toBeNull();
    // The point is in canvas pixels: the page may have shifted since (a banner, a reloaded analysis).
    const at = async () => {
      const box = (await lattice.locator('canvas').boundingBox())!;
      return { x: box.x + target!.x, y: box.y + target!.y };
    };
    let point = await at();
    await page.mouse.move(point.x, point.y);
    await expect.poll(() => page.getByTestId('lattice-hover').isVisible()).toBe(true);
    point = await at();
    await page.mouse.click(point.x, point.y);
    await expect.poll(() => page.getByTestId('selected-path').innerText()).toMatch(/^path: /);
    const entries = page.getByTestId('nbest-entry');
    await entries.first().click();
    await expect.poll(() => page.locator('[data-testid="nbest-entry"].selected').count()).toBe(1);
    await page.getByTestId('lattice-panel').screenshot({ path: shot('lattice') });
  });

  it('re-runs the utterance with an edited context list and shows what changed', async () => {
    await page.getByTestId('tab-context').click();
    const text = page.getByTestId('context-text');
    expect(await text.inputValue()).toContain('anna mitchell');
    await text.fill('anna mitchell:4\npriya ramanathan\nkitchen lights');
    // Search settings start as the model's own and can be set for the re-run.
    const boost = page.getByTestId('fusion-boost');
    expect(await boost.getAttribute('placeholder')).toMatch(/^[\d.]+ \(model\)$/);
    expect(await page.getByTestId('lattice-beam').getAttribute('placeholder')).toBe('8 (default)');
    await boost.fill('0.75');
    await boost.dispatchEvent('change');
    await page.getByTestId('max-symbols').fill('2');
    await page.getByTestId('max-symbols').dispatchEvent('change');
    await page.getByTestId('rerun').click();
    await page.getByTestId('hyp-diff').waitFor({ timeout: 60_000 });
    await page.getByTestId('context-editor').screenshot({ path: shot('context-editor') });
  });

  it('shows the compression of the loaded model: sizes, sparsity, int8 histograms', async () => {
    await page.getByTestId('tab-compression').click();
    const view = page.getByTestId('compression-view');
    expect(await view.innerText()).toMatch(/fp32/);
    await page.getByTestId('compression-view').screenshot({ path: shot('compression-view') });
  });

  it('answers the keyboard: j/k move through utterances, ? opens the shortcut sheet', async () => {
    await page.locator('body').click({ position: { x: 5, y: 990 } });
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('[data-testid="utterance-row"].selected').getAttribute('data-id')).toBe('kitchen-lights');
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('[data-testid="utterance-row"].selected').getAttribute('data-id')).toBe('call-anna');
    // Selecting fits the zoom to the utterance once its waveform is in, which undoes a zoom made
    // before; data-ready may still name the earlier load of the same file, so press until it holds.
    await expect.poll(() => page.getByTestId('waveform').getAttribute('data-ready')).toMatch(/call-anna\.wav$/);
    const zoom = () => page.getByTestId('zoom-level').innerText();
    const before = await zoom();
    await expect
      .poll(async () => {
        await page.keyboard.press('+');
        return zoom();
      })
      .not.toBe(before);
    await page.keyboard.press('?');
    await page.getByTestId('shortcut-sheet').screenshot({ path: shot('shortcut-sheet') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('shortcut-sheet').count()).toBe(0);
  });

  it('shows the utterance with a pause, in the dark theme', async () => {
    await page.locator('[data-testid="utterance-row"][data-id="timer-pause"]').click();
    await expect.poll(() => page.getByTestId('waveform').getAttribute('data-ready'), { timeout: 30_000 }).toMatch(/timer-pause\.wav$/);
    await page.getByTestId('endpoint-timeline').waitFor({ timeout: 60_000 });
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByTestId('tab-tuning').click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot('workbench-dark') });
    expect(pageErrors).toEqual([]);
  });
});
