/**
 * Every result says which model made it: analyses, the data set's summary, a saved session and
 * the session reopened, through the API contract as the workbench calls it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, startServe, type ServedApp } from './harness';
import { connectApiClient } from './api-client';
import type { EarshotApi } from '../../src/shared/api';
import type { Session } from '../../src/shared/domain/session';

const tinyModel = join(root, 'test', 'fixtures', 'tiny-model');
const shippedModel = join(root, 'resources', 'models', 'earshot-rnnt');
const demoManifest = join(root, 'resources', 'demo', 'manifest.jsonl');
/** The boost the shipped model's model.json names: a model decodes with its own measured settings. */
const shippedBoost = (JSON.parse(readFileSync(join(shippedModel, 'model.json'), 'utf8')) as { decode: { fusion_boost: number } }).decode.fusion_boost;
const work = mkdtempSync(join(tmpdir(), 'earshot-provenance-'));
let app: ServedApp;
let client: { api: EarshotApi; close(): void };

beforeAll(async () => {
  app = await startServe(['--model', tinyModel], { EARSHOT_CACHE: join(work, 'cache'), EARSHOT_MODELS_DIR: join(work, 'models') });
  client = await connectApiClient(app.url);
});

afterAll(async () => {
  client?.close();
  await app?.stop();
});

describe('results remember their model', () => {
  it('records folder, content hash and the settings used, and a re-analysis with another model reaches the session file', async () => {
    const { api } = client;
    expect((await api.call('getDefaults', {})).modelDir).toBe(tinyModel);
    const dataset = await api.call('openDataset', { path: demoManifest });
    const first = await api.call('analyzeDataset', { datasetId: dataset.id, decoding: { beam: 2 } });
    expect(first.model).toMatchObject({ name: 'earshot-rnnt-tiny-smoke', dir: tinyModel, decoding: { beam: 2, maxSymbolsPerFrame: 1, fusionBoost: 1.5, variant: 'int8' } });
    expect(first.model?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const one = await api.call('getUtteranceAnalysis', { datasetId: dataset.id, utteranceId: 'timer-pause' });
    expect(one.model).toEqual(first.model);

    const file = join(work, 'session.json');
    await api.call('saveSession', { path: file });
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Session;
    expect(saved.model).toMatchObject({ id: 'earshot-rnnt-tiny-smoke', dir: tinyModel, sha256: first.model?.sha256, config: { beam: 2 } });

    const second = await api.call('analyzeDataset', { datasetId: dataset.id, modelDir: shippedModel });
    expect(second.model).toMatchObject({ name: 'earshot-rnnt', dir: shippedModel, decoding: { beam: 4, maxSymbolsPerFrame: 3, fusionBoost: shippedBoost } });
    expect(second.model?.sha256).not.toBe(first.model?.sha256);
    await api.call('saveSession', {});
    const resaved = JSON.parse(readFileSync(file, 'utf8')) as Session;
    expect(resaved.model).toMatchObject({ id: 'earshot-rnnt', dir: shippedModel, sha256: second.model?.sha256 });
    const hyps = (s: Session) => s.utterances.map((u) => (u.result?.kind === 'inline' ? u.result.decode.hyp : null));
    expect(hyps(resaved)).toEqual(second.utterances.map((u) => u.hyp));
    expect(hyps(resaved)).not.toEqual(hyps(saved));

    const reopened = await api.call('openSession', { path: file });
    expect(reopened.analysis.model).toMatchObject({ name: 'earshot-rnnt', dir: shippedModel, sha256: second.model?.sha256 });
    const again = await api.call('getUtteranceAnalysis', { datasetId: reopened.dataset.id, utteranceId: 'timer-pause' });
    expect(again.model?.sha256).toBe(second.model?.sha256);
  });

  it('a single decode names its model too', async () => {
    const u = (await api().call('openDataset', { path: demoManifest })).utterances[0];
    const analysis = await api().call('analyzeUtterance', { utterance: u, modelDir: shippedModel, decoding: { beam: 1, maxSymbolsPerFrame: 2 } });
    expect(analysis.model).toMatchObject({ dir: shippedModel, decoding: { beam: 1, maxSymbolsPerFrame: 2, fusionBoost: shippedBoost } });
  });
});

const api = (): EarshotApi => client.api;
