/**
 * The live microphone in Chromium through the browser shell, with the shipped model: Chromium's
 * fake capture device plays a demo recording once (`%noloop`), the m key starts the microphone,
 * and the utterance the final end-pointer closes lands in the live data set with its WAV. Its
 * transcript and end-points must match the offline decode of the same audio (the saved WAV)
 * exactly, and the offline decode of the demo recording followed by silence, as the device plays it,
 * within one chunk once the two are aligned (the capture starts a little into the file). The
 * final end-pointer may wait for silence the file itself does not hold (the shipped model's
 * end-of-query threshold is its own, 0.94), as it would for a speaker on a real microphone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { EarshotApi } from '../../src/shared/api';
import type { EndpointEvent } from '../../src/shared/domain/endpoint';
import type { UtteranceAnalysis } from '../../src/shared/domain/workbench';
import { liveEventSchema, type LiveEvent } from '../../src/shared/live';
import { toPcm16 } from '../../src/shared/pcm16';
import { decodeAudioFile } from '../../src/engine/audio/decode-audio';
import { encodeWav16 } from '../../src/engine/audio/wav-encode';
import { root, screenshotDir, startServe, type ServedApp } from './harness';
import { connectApiClient } from './api-client';

const DEMO = join(root, 'resources', 'demo', 'kitchen-lights.wav');
const LOAD_MS = 120_000;
const out = mkdtempSync(join(tmpdir(), 'earshot-live-mic-'));
const liveDir = join(out, 'live');
const shot = (name: string) => join(screenshotDir, `${name}.png`);

let app: ServedApp;
let browser: Browser;
let page: Page;
let client: { api: EarshotApi; close(): void };
const pageErrors: string[] = [];

/** The samples' offset (in samples) that best lines `live` up with `source`: source[i + lag] ≈ live[i]. */
function alignment(source: Float32Array, live: Float32Array, maxLag: number): number {
  let best = { lag: 0, score: -Infinity };
  const span = Math.min(live.length, source.length) - maxLag;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let score = 0;
    for (let i = maxLag; i < span; i += 2) score += live[i] * source[i + lag];
    if (score > best.score) best = { lag, score };
  }
  return best.lag;
}

const firstOf = (events: EndpointEvent[], type: EndpointEvent['type']) => events.find((e) => e.type === type);

/** 16 kHz samples of the demo recording followed by `seconds` of digital silence: what a microphone hears. */
async function demoThenSilence(seconds: number): Promise<Float32Array> {
  const demo = await decodeAudioFile(DEMO, { targetRate: 16000 });
  const samples = new Float32Array(demo.samples.length + Math.round(seconds * 16000));
  samples.set(demo.samples);
  return samples;
}

beforeAll(async () => {
  app = await startServe([], { EARSHOT_LIVE_DIR: liveDir, EARSHOT_CACHE: join(out, 'cache') });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      // The microphone is the demo recording, played once; the permission prompt is answered yes.
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${DEMO}%noloop`,
    ],
  });
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.addInitScript(() => localStorage.setItem('earshot-theme', 'light'));
  await page.goto(app.url);
  await page.getByTestId('dataset-metrics').waitFor({ timeout: LOAD_MS });
  client = await connectApiClient(app.url);
}, LOAD_MS + 30_000);

afterAll(async () => {
  client?.close();
  await browser?.close();
  await app?.stop();
});

describe('the live microphone, fed a demo recording by Chromium’s fake capture device', () => {
  let saved: { id: string; audio: string; text: string; events: EndpointEvent[] };

  it('starts with the m key, shows the partial transcript as it is decoded, and saves the utterance at the final end-point', async () => {
    await page.locator('body').press('m');
    const panel = page.getByTestId('live-panel');
    await panel.waitFor();
    await expect.poll(() => page.getByTestId('live-status').innerText(), { timeout: LOAD_MS }).toBe('Listening');
    // Mid-utterance: words, and no end-pointer yet.
    await expect
      .poll(async () => (await page.getByTestId('live-transcript').innerText().catch(() => '…')) !== '…' && (await page.getByTestId('live-events').count()) === 0, { timeout: 30_000, interval: 50 })
      .toBe(true);
    await page.screenshot({ path: shot('live-mic-mid-utterance') });
    await page.getByTestId('live-saved').locator('li').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('live-utterance').locator('h2').first().innerText()).toMatch(/saved as live-/i);
    await page.screenshot({ path: shot('live-mic-after-final') });
    await page.getByTestId('live-panel').screenshot({ path: shot('live-mic-panel') });
    const events = await page.getByTestId('live-events').locator('tr').evaluateAll((rows) => rows.map((r) => ({ type: r.getAttribute('data-type'), timeS: Number(r.getAttribute('data-time')) })));
    expect(events.at(-1)?.type).toBe('final');
    const id = (await page.getByTestId('live-saved').locator('li').first().getAttribute('data-id')) ?? '';
    saved = { id, audio: join(liveDir, `${id}.wav`), text: (await page.getByTestId('live-transcript').innerText()).trim(), events: events as EndpointEvent[] };
    expect(saved.text).not.toBe('');
    await page.locator('body').press('m');
    await expect.poll(() => page.getByTestId('live-status').innerText(), { timeout: 30_000 }).toBe('Idle');
    expect(pageErrors).toEqual([]);
    expect(await page.getByTestId('live-error').count()).toBe(0);
  });

  it('lands in the live data set: one manifest line and its 16 kHz WAV in the live folder', async () => {
    const lines = readFileSync(join(liveDir, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; audio: string });
    // The file plays once: what follows is silence, which never becomes an utterance.
    expect(lines.map((l) => [l.id, l.audio])).toEqual([[saved.id, `${saved.id}.wav`]]);
    expect(existsSync(saved.audio)).toBe(true);
    const wav = await decodeAudioFile(saved.audio);
    expect([wav.sampleRate, wav.channels]).toEqual([16000, 1]);
    // After the stop the panel still shows the utterance it saved.
    expect(await page.getByTestId('live-saved').locator(`li[data-id="${saved.id}"]`).innerText()).toContain(saved.text);
    expect((await page.getByTestId('live-transcript').innerText()).trim()).toBe(saved.text);
  });

  it('says what the offline decode of the same audio says: the same transcript and end-points', async () => {
    const offline: UtteranceAnalysis = await client.api.call('analyzeUtterance', { utterance: { id: saved.id, audio: saved.audio } });
    const final = firstOf(offline.endpoints.events, 'final')!;
    expect(final.text).toBe(saved.text);
    expect(saved.events.map((e) => [e.type, e.timeS])).toEqual(offline.endpoints.events.map((e) => [e.type, e.timeS]));
  });

  it('matches the offline decode of the demo recording and the silence after it within one chunk, once the capture’s start is lined up', async () => {
    const info = await client.api.call('getModelInfo', {});
    const chunkS = (info.chunk.decodeChunkLen / info.chunk.subsampling) * info.chunk.frameShiftS;
    const played = await demoThenSilence(2);
    const playedWav = join(out, 'kitchen-lights-then-silence.wav');
    writeFileSync(playedWav, encodeWav16(toPcm16(played), 16000));
    const source: UtteranceAnalysis = await client.api.call('analyzeUtterance', { utterance: { id: 'kitchen-lights', audio: playedWav } });
    const live = await decodeAudioFile(saved.audio);
    const lagS = alignment(played, live.samples, 8000) / 16000;
    console.log(`live-mic: the capture starts ${lagS.toFixed(3)} s into the file; chunk ${chunkS} s`);
    expect(saved.text.split(' ')).toEqual(source.decode.hyp.split(' ').slice(0, saved.text.split(' ').length));
    for (const type of ['speculative', 'final'] as const) {
      const liveAt = firstOf(saved.events, type)!.timeS + lagS;
      const offlineAt = firstOf(source.endpoints.events, type)!.timeS;
      console.log(`live-mic: ${type} live ${liveAt.toFixed(3)} s (file time), offline ${offlineAt.toFixed(3)} s`);
      expect(Math.abs(liveAt - offlineAt), type).toBeLessThanOrEqual(chunkS + 1e-9);
    }
  });

  it('opens the live data set in the workbench like any other', async () => {
    await page.getByTestId('live-open-dataset').click();
    await page.locator(`[data-testid="utterance-row"][data-id="${saved.id}"]`).waitFor({ timeout: LOAD_MS });
    // Analysed like any data set: its decode is the offline one, end-pointers and all.
    await expect.poll(() => page.getByTestId('hyp').innerText(), { timeout: LOAD_MS }).toContain(saved.text);
    await page.locator('[data-testid="endpoint-timeline"] [data-testid="reference-end"]').waitFor({ timeout: LOAD_MS });
    await page.screenshot({ path: shot('live-mic-dataset') });
  });
});

describe('a live session over the API, as any client of the engine host drives it', () => {
  const pcmOf = (samples: Float32Array): string => Buffer.from(toPcm16(samples).buffer).toString('base64');

  it('decodes 16 kHz audio sent in chunks, answers once stopped with the utterance it saved, and refuses a lost chunk', async () => {
    // The demo recording and then 2 s of the silence a microphone goes on sending after the speaker.
    const audio = await demoThenSilence(2);
    const events: LiveEvent[] = [];
    const sessionId = 'api-session-1';
    const done = client.api.call('liveStart', { sessionId, sampleRate: 16000 }, (e) => e.kind === 'partial' && events.push(liveEventSchema.parse(e.data)));
    let seq = 0;
    for (let at = 0; at < audio.length; at += 1600) await client.api.call('liveAudio', { sessionId, seq: seq++, pcm: pcmOf(audio.subarray(at, at + 1600)) });
    await expect(client.api.call('liveAudio', { sessionId, seq: seq + 1, pcm: '' })).rejects.toThrow(`chunk ${seq + 1} arrived where chunk ${seq} was expected`);
    await client.api.call('liveStop', { sessionId });
    const result = await done;
    expect(result.saved.map((u) => [u.reason, u.text])).toEqual([['final', 'turn on the kitchen lights']]);
    expect(events[0]).toEqual({ type: 'ready', folder: liveDir, manifest: join(liveDir, 'manifest.jsonl') });
    expect(events.filter((e) => e.type === 'saved')).toEqual(result.saved);
    // The file's silent tail after the end-point ends with the stop, with nothing said: not saved.
    expect(events.at(-1)).toMatchObject({ type: 'discarded', reason: 'stopped' });
    const offline: UtteranceAnalysis = await client.api.call('analyzeUtterance', { utterance: { id: 'again', audio: result.saved[0].audio } });
    expect(result.saved[0].events).toEqual(offline.endpoints.events);
  });

  it('ends a session whose client went away', async () => {
    const other = await connectApiClient(app.url);
    const sessionId = 'api-session-2';
    const started = other.api.call('liveStart', { sessionId, sampleRate: 48000 }, () => undefined).catch((error: Error) => error);
    await other.api.call('liveAudio', { sessionId, seq: 0, pcm: pcmOf(new Float32Array(4800)) });
    other.close();
    expect(String(await started)).toMatch(/closed/);
    await expect.poll(() => client.api.call('liveStop', { sessionId }).catch((error: Error) => error.message)).toMatch(/no live session "api-session-2" is running/);
  });
});
