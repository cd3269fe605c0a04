/**
 * Runs and A/B in Chromium through the browser shell, with the shipped model on the demo data
 * set: the data set is re-run with one context list as run B, the A/B view compares it with
 * the first run, and its table and significance figures are checked against a computation
 * made here, independently of the engine's compare module: word alignment, corpus WER, the
 * seeded paired bootstrap (mulberry32, percentile interval) and the p50 latency difference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, root, screenshotDir, startServe, type ServedApp, openWorkbench } from './harness';

let app: ServedApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const cacheDir = mkdtempSync(join(tmpdir(), 'earshot-e2e-cache-'));
const shot = (name: string) => join(screenshotDir, `${name}.png`);
const ANALYSIS_MS = 240_000;
const CONTEXT_LIST = ['yes', 'go', 'stop', 'left', 'timer', 'weather'];

const references = new Map(
  readFileSync(join(root, 'resources', 'demo', 'manifest.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { audio: string; text: string })
    .map((l) => [l.audio.replace(/\.wav$/, ''), l.text]),
);

/** Lower-case words without punctuation (in-word apostrophes and hyphens kept). */
const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s-]+/gu, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^['-]+|['-]+$/g, ''))
    .filter(Boolean);

/** Levenshtein distance over words: substitutions, deletions and insertions. */
function editDistance(a: string[], b: string[]): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** mulberry32, written out again from its published definition. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Linear interpolation between order statistics. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** Percentile interval of a statistic over resamples of n indices drawn with replacement, in turn. */
function bootstrap(n: number, statistic: (idx: number[]) => number, resamples: number, seed: number): [number, number] {
  const random = generator(seed);
  const stats: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const idx = Array.from({ length: n }, () => Math.floor(random() * n));
    stats.push(statistic(idx));
  }
  return [quantile(stats, 0.025), quantile(stats, 0.975)];
}

const signed = (x: number, digits: number): string => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(digits)}`;
/** "−12" or "+3" (as the view prints them) back to a number. */
const number = (text: string): number => Number(text.trim().replace('−', '-').replace('+', ''));

interface Row {
  id: string;
  hypA: string;
  hypB: string;
  werA: string;
  werB: string;
  changed: string;
  latA: string;
  latB: string;
}

async function tableRows(): Promise<Row[]> {
  return page.getByTestId('ab-row').evaluateAll((rows) =>
    rows.map((r) => {
      const cell = (name: string): string => r.querySelector(`.${name}`)?.textContent?.trim() ?? '';
      const e = r as HTMLElement;
      return { id: e.dataset.id ?? '', hypA: e.dataset.hypA ?? '', hypB: e.dataset.hypB ?? '', werA: cell('cell-wer-a'), werB: cell('cell-wer-b'), changed: cell('cell-changed'), latA: cell('cell-lat-a'), latB: cell('cell-lat-b') };
    }),
  );
}

beforeAll(async () => {
  app = await startServe([], { EARSHOT_CACHE: cacheDir });
  browser = await launchChromium();
  page = await openWorkbench(browser, app.url, pageErrors, ANALYSIS_MS);
}, ANALYSIS_MS + 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('runs of the demo data set', () => {
  it('start with the analysis made on opening, shown in the sidebar', async () => {
    await page.getByTestId('tab-runs').click();
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: ANALYSIS_MS }).toBe(1);
    expect(await page.getByTestId('run-row').getAttribute('data-name')).toBe('run 1');
    await expect.poll(() => page.getByTestId('shown-run').innerText()).toMatch(/run 1/);
  });

  it('re-run the data set with one context list as run B, with progress, and show it', async () => {
    await page.getByTestId('rerun-name').fill('context list');
    await page.getByTestId('rerun-one-list').check();
    await page.getByTestId('rerun-context').fill(CONTEXT_LIST.join('\n'));
    await page.getByTestId('rerun-boost').fill('3');
    await page.getByTestId('rerun-start').click();
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: ANALYSIS_MS }).toBe(2);
    await expect.poll(() => page.getByTestId('shown-run').innerText()).toMatch(/context list/);
    await page.screenshot({ path: shot('runs-panel') });
  });
});

describe('the A/B view of run 1 against the context list', () => {
  let rows: Row[] = [];

  it('lists every utterance of both runs', async () => {
    await page.getByTestId('compare-runs').click();
    await page.getByTestId('ab-view').waitFor();
    await expect.poll(() => page.getByTestId('ab-row').count()).toBe(references.size);
    rows = await tableRows();
    expect(rows.map((r) => r.id).sort()).toEqual([...references.keys()].sort());
    await page.screenshot({ path: shot('ab-compare') });
  });

  it('gives each utterance the WERs and words changed computed here from its hypotheses', () => {
    for (const r of rows) {
      const ref = words(references.get(r.id) ?? '');
      expect(r.werA, r.id).toBe(((100 * editDistance(ref, words(r.hypA))) / ref.length).toFixed(1));
      expect(r.werB, r.id).toBe(((100 * editDistance(ref, words(r.hypB))) / ref.length).toFixed(1));
      expect(r.changed, r.id).toBe(String(editDistance(words(r.hypA), words(r.hypB))));
    }
    // The list changed something: otherwise this comparison would show nothing.
    expect(rows.some((r) => r.changed !== '0')).toBe(true);
  });

  it('gives the corpus WERs and the paired bootstrap interval of B − A computed here', async () => {
    const resamples = Number(await page.getByTestId('ab-resamples').innerText());
    const seed = Number(await page.getByTestId('ab-seed').innerText());
    const n = rows.map((r) => words(references.get(r.id) ?? '').length);
    const ea = rows.map((r) => editDistance(words(references.get(r.id) ?? ''), words(r.hypA)));
    const eb = rows.map((r) => editDistance(words(references.get(r.id) ?? ''), words(r.hypB)));
    const sum = (xs: number[], idx: number[]): number => idx.reduce((s, i) => s + xs[i], 0);
    const all = rows.map((_, i) => i);
    const wer = (e: number[], idx: number[]): number => (100 * sum(e, idx)) / sum(n, idx);
    expect(await page.getByTestId('ab-wer-a').innerText()).toBe(`${wer(ea, all).toFixed(1)} %`);
    expect(await page.getByTestId('ab-wer-b').innerText()).toBe(`${wer(eb, all).toFixed(1)} %`);
    expect(await page.getByTestId('ab-wer-diff').innerText()).toBe(signed(wer(eb, all) - wer(ea, all), 1));
    const [lo, hi] = bootstrap(rows.length, (idx) => wer(eb, idx) - wer(ea, idx), resamples, seed);
    expect(await page.getByTestId('ab-wer-ci').innerText()).toBe(`[${signed(lo, 1)}, ${signed(hi, 1)}]`);
    const verdict = lo > 0 ? 'B is worse' : hi < 0 ? 'B is better' : 'no significant difference';
    expect(await page.getByTestId('ab-wer-verdict').innerText()).toBe(verdict);
    const better = rows.filter((_, i) => eb[i] < ea[i]).length;
    const worse = rows.filter((_, i) => eb[i] > ea[i]).length;
    expect(await page.getByTestId('ab-counts').innerText()).toMatch(new RegExp(`better on ${better}, worse on ${worse}, the same on ${rows.length - better - worse}`));
  });

  it('gives the p50 final-latency difference and its interval computed here from the table', async () => {
    const resamples = Number(await page.getByTestId('ab-resamples').innerText());
    const seed = Number(await page.getByTestId('ab-seed').innerText());
    // Every demo utterance has a reference end; the table gives latencies in whole ms.
    const la = rows.map((r) => number(r.latA.replace(' (no fire)', '')));
    const lb = rows.map((r) => number(r.latB.replace(' (no fire)', '')));
    const p50 = (xs: number[], idx: number[]): number => quantile(idx.map((i) => xs[i]), 0.5);
    const all = rows.map((_, i) => i);
    const shownDiff = number((await page.getByTestId('ab-latency-diff').innerText()).replace(' ms', ''));
    expect(Math.abs(shownDiff - (p50(lb, all) - p50(la, all)))).toBeLessThanOrEqual(1);
    const [lo, hi] = bootstrap(rows.length, (idx) => p50(lb, idx) - p50(la, idx), resamples, seed);
    const shown = (await page.getByTestId('ab-latency-ci').innerText()).replace(/[[\] ms]/g, '').split(',').map(number);
    // Within 1 ms: the table rounds each latency to the ms.
    expect(Math.abs(shown[0] - lo)).toBeLessThanOrEqual(1);
    expect(Math.abs(shown[1] - hi)).toBeLessThanOrEqual(1);
  });

  it('filters to the utterances where B is worse or better, and shows both hypotheses against the reference', async () => {
    const errors = (hyp: string, id: string): number => editDistance(words(references.get(id) ?? ''), words(hyp));
    await page.getByTestId('ab-filter').selectOption('worse');
    expect(await page.getByTestId('ab-row').count()).toBe(rows.filter((r) => errors(r.hypB, r.id) > errors(r.hypA, r.id)).length);
    await page.getByTestId('ab-filter').selectOption('better');
    const better = rows.filter((r) => errors(r.hypB, r.id) < errors(r.hypA, r.id));
    expect(await page.getByTestId('ab-row').count()).toBe(better.length);
    const pick = better[0] ?? rows.find((r) => r.changed !== '0')!;
    if (!better[0]) await page.getByTestId('ab-filter').selectOption('all');
    await page.locator(`[data-testid="ab-row"][data-id="${pick.id}"]`).click();
    const diff = page.getByTestId('ab-diff');
    await expect.poll(() => diff.locator('h3').innerText()).toBe(pick.id);
    expect(await diff.innerText()).toContain(references.get(pick.id));
    await page.getByTestId('ab-scatter').scrollIntoViewIfNeeded();
    expect(await page.getByTestId('ab-dot').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="ab-pareto"] path.front').count()).toBe(2);
    // The whole table with that utterance's words: the README's picture (docs/ab-compare.png).
    await page.getByTestId('ab-filter').selectOption('all');
    await expect.poll(() => page.getByTestId('ab-row').count()).toBe(references.size);
    await page.screenshot({ path: shot('ab-compare-final') });
    expect(pageErrors).toEqual([]);
  });

  it('follows a rename of run B, and is closed when run A is deleted', async () => {
    const runB = page.locator('[data-testid="run-row"][data-name="context list"]');
    await runB.getByTestId('run-name').click();
    await runB.getByTestId('run-rename-input').fill('six words');
    await runB.getByTestId('run-rename-input').press('Enter');
    await expect.poll(() => page.getByTestId('ab-view').locator('h2').innerText()).toMatch(/RUN 1 AGAINST SIX WORDS|run 1 against six words/i);
    await expect.poll(() => page.getByTestId('shown-run').innerText()).toMatch(/six words/);
    // The shown run cannot be deleted; run 1 can.
    expect(await page.locator('[data-testid="run-row"][data-name="six words"]').getByTestId('run-delete').isDisabled()).toBe(true);
    await page.locator('[data-testid="run-row"][data-name="run 1"]').getByTestId('run-delete').click();
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(1);
    expect(await page.getByTestId('ab-view').innerText()).toMatch(/Pick runs A and B/);
    expect(pageErrors).toEqual([]);
  });
});
