/**
 * Runs through the API contract (the browser shell's host, the tiny model): every analysis of a
 * data set is a run; the same settings replace a run, new ones add one; a cancelled re-run
 * leaves the selected run whole; runs are renamed, deleted, compared, saved with the session
 * and reopened; a version 2 session opens with its results as run 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, startServe, type ServedApp } from './harness';
import { connectApiClient } from './api-client';
import type { EarshotApi } from '../../src/shared/api';

const demoManifest = join(root, 'resources', 'demo', 'manifest.jsonl');
const out = mkdtempSync(join(tmpdir(), 'earshot-runs-'));
let app: ServedApp;
let client: { api: EarshotApi; close(): void };
let datasetId = '';

beforeAll(async () => {
  app = await startServe([], { EARSHOT_MODEL: join(root, 'test', 'fixtures', 'tiny-model'), EARSHOT_CACHE: join(out, 'cache') });
  client = await connectApiClient(app.url);
  datasetId = (await client.api.call('openDataset', { path: demoManifest })).id;
});

afterAll(async () => {
  client?.close();
  await app?.stop();
});

const names = async (): Promise<string[]> => (await client.api.call('listRuns', {})).runs.map((r) => r.name);
const selectedName = async (): Promise<string | undefined> => {
  const list = await client.api.call('listRuns', {});
  return list.runs.find((r) => r.id === list.selected)?.name;
};

describe('runs of a data set', () => {
  it('are made by each analysis; the same settings again replace their run', async () => {
    const { api } = client;
    await api.call('analyzeDataset', { datasetId });
    expect(await names()).toEqual(['run 1']);
    const list = await api.call('analyzeDataset', { datasetId, runName: 'one list', contextMode: 'list', decoding: { beam: 2, context: [{ phrase: 'yes', boost: 3 }] } });
    expect(list.utterances).toHaveLength(9);
    expect(await names()).toEqual(['run 1', 'one list']);
    expect(await selectedName()).toBe('one list');
    const [, second] = (await api.call('listRuns', {})).runs;
    expect(second.context).toEqual({ mode: 'list', entries: [{ phrase: 'yes', boost: 3 }] });
    expect(second.decoding).toMatchObject({ beam: 2, shallowFusion: true, attentionBias: true });
    expect(second.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    await api.call('analyzeDataset', { datasetId });
    expect(await names()).toEqual(['run 1', 'one list']);
    expect(await selectedName()).toBe('run 1');
  });

  it('keep the selected run whole when a re-run is cancelled', async () => {
    const { api } = client;
    const before = await api.call('getUtteranceAnalysis', { datasetId, utteranceId: 'call-anna' });
    const requestId = 'cancelled-rerun';
    const pending = api.call('analyzeDataset', { datasetId, runName: 'never', decoding: { beam: 8 } }, (e) => e.kind === 'progress' && api.cancel(requestId), requestId);
    await expect(pending).rejects.toThrow(/cancel/i);
    expect(await names()).toEqual(['run 1', 'one list']);
    expect((await api.call('getUtteranceAnalysis', { datasetId, utteranceId: 'call-anna' })).decode.hyp).toBe(before.decode.hyp);
  });

  it('are renamed and deleted, never the selected one, and no two with one name', async () => {
    const { api } = client;
    const [first, second] = (await api.call('listRuns', {})).runs;
    await expect(api.call('renameRun', { runId: second.id, name: 'run 1' })).rejects.toThrow(/another run is already called "run 1"/);
    expect((await api.call('renameRun', { runId: second.id, name: 'yes list' })).runs.map((r) => r.name)).toEqual(['run 1', 'yes list']);
    await expect(api.call('deleteRun', { runId: first.id })).rejects.toThrow(/the selected run cannot be deleted/);
    await expect(api.call('deleteRun', { runId: 'no-such-run' })).rejects.toThrow(/no run with id "no-such-run"/);
  });

  it('are compared utterance by utterance with the hypotheses each run decoded', async () => {
    const { api } = client;
    const [first, second] = (await api.call('listRuns', {})).runs;
    const result = await api.call('compareRuns', { runA: first.id, runB: second.id, resamples: 500, seed: 7 });
    expect(result.comparison.rows).toHaveLength(9);
    expect(result.comparison.summary).toMatchObject({ utterances: 9, scored: 9, referenceWords: 39, resamples: 500, seed: 7 });
    const callAnna = await api.call('getUtteranceAnalysis', { datasetId, utteranceId: 'call-anna' });
    expect(result.comparison.rows.find((r) => r.id === 'call-anna')?.hypA).toBe(callAnna.decode.hyp);
    const shown = await api.call('selectRun', { runId: second.id });
    expect(shown.runs.selected).toBe(second.id);
    expect(shown.analysis.utterances.map((u) => u.hyp)).toEqual(result.comparison.rows.map((r) => r.hypB));
    expect(result.fronts.a.length).toBeGreaterThan(0);
  });

  it('are saved with the session and come back with it, the selected one shown', async () => {
    const { api } = client;
    const file = join(out, 'runs.earshot.json');
    const before = await api.call('listRuns', {});
    await api.call('saveSession', { path: file });
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { version: number; runs: Array<{ name: string; results: Record<string, unknown> }>; selectedRun: string };
    expect(saved.version).toBe(3);
    // The selected run's decodes are the utterances' results; the other run keeps its own.
    expect(saved.runs.map((r) => [r.name, Object.keys(r.results).length])).toEqual([
      ['run 1', 9],
      ['yes list', 0],
    ]);
    await api.call('openDataset', { path: demoManifest });
    const reopened = await api.call('openSession', { path: file });
    const after = await api.call('listRuns', {});
    expect(after.selected).toBe(before.selected);
    expect(after.runs.map((r) => [r.name, r.wer, r.decoded])).toEqual(before.runs.map((r) => [r.name, r.wer, r.decoded]));
    const first = after.runs[0];
    const back = await api.call('selectRun', { runId: first.id });
    expect(back.analysis.utterances.map((u) => u.id)).toEqual(reopened.analysis.utterances.map((u) => u.id));
  });

  it('of a version 2 session are its results, as run 1', async () => {
    const { api } = client;
    await api.call('openSession', { path: join(root, 'test', 'fixtures', 'sessions', 'session-v2.json') });
    const list = await api.call('listRuns', {});
    expect(list.runs.map((r) => [r.name, r.decoded])).toEqual([['run 1', 1]]);
    expect(list.selected).toBe(list.runs[0].id);
  });
});
