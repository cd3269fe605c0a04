import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, startServe, type ServedApp } from './harness';
import { connectApiClient } from './api-client';
import type { EarshotApi } from '../../src/shared/api';

// The tiny smoke-trained model keeps this fast; the workbench tests use the shipped one.
const tinyModel = join(root, 'test', 'fixtures', 'tiny-model');
const demoManifest = join(root, 'resources', 'demo', 'manifest.jsonl');
const out = mkdtempSync(join(tmpdir(), 'earshot-api-'));
let app: ServedApp;
let client: { api: EarshotApi; close(): void };

beforeAll(async () => {
  app = await startServe([], { EARSHOT_MODEL: tinyModel, EARSHOT_CACHE: join(out, 'cache') });
  client = await connectApiClient(app.url);
});

afterAll(async () => {
  client?.close();
  await app?.stop();
});

describe('the engine through the API contract', () => {
  it('analyses the demo data set with traces, lattices and both end-pointers, reporting progress', async () => {
    const { api } = client;
    const dataset = await api.call('openDataset', { path: demoManifest });
    expect(dataset.kind).toBe('earshot');
    expect(dataset.utterances.map((u) => u.id)).toContain('timer-pause');
    const progress: number[] = [];
    const analysis = await api.call('analyzeDataset', { datasetId: dataset.id }, (e) => e.kind === 'progress' && progress.push(e.done));
    expect(progress.at(-1)).toBe(9);
    expect(analysis.utterances).toHaveLength(9);
    const one = await api.call('getUtteranceAnalysis', { datasetId: dataset.id, utteranceId: 'timer-pause' });
    expect(one.decode.trace.numFrames).toBeGreaterThan(50);
    expect(one.decode.trace.eoqProb).toHaveLength(one.decode.trace.numFrames);
    expect(one.decode.lattice.arcs.length).toBeGreaterThan(0);
    expect(one.endpoints.reference).toEqual({ endS: 3.425, source: 'labels' });
    const sweep = await api.call('sweepEndpoints', { datasetId: dataset.id });
    expect(sweep.points.length).toBe(500);
    expect(sweep.baselines.some((b) => b.family === 'silero' && b.stats.withReference === 9)).toBe(true);
    // Every decode carries both VADs' tracks.
    expect(one.decode.trace.vad?.silero?.frameShiftS).toBe(0.032);
    expect(one.decode.trace.vad?.webrtc?.frameShiftS).toBe(0.03);
    expect(sweep.paretoFront.length).toBeGreaterThan(0);
  });

  it('streams partial results while one utterance decodes', async () => {
    const { api } = client;
    const partials: unknown[] = [];
    const result = await api.call(
      'analyzeUtterance',
      { utterance: { id: 'call', audio: join(root, 'resources', 'demo', 'call-anna.wav'), text: 'call anna mitchell on her mobile' } },
      (e) => e.kind === 'partial' && partials.push(e.data),
    );
    expect(partials.length).toBe(result.decode.partials.length);
    expect(result.errors?.referenceWords).toBe(6);
  });

  it('keeps annotations across save and reopen, and they change the metrics', async () => {
    const { api } = client;
    const file = join(out, 'demo-session.json');
    await api.call('saveSession', { path: file, view: { selected: 'timer-pause' } });
    const before = await api.call('getUtteranceAnalysis', { datasetId: (await api.call('openSession', { path: file })).dataset.id, utteranceId: 'timer-pause' });
    const { summary } = await api.call('annotate', { utteranceId: 'timer-pause', patch: { trueEndS: 3.0, correctedText: 'set a timer', flags: ['bad-cutoff'] } });
    expect(summary.endpoints.reference).toEqual({ endS: 3.0, source: 'annotation' });
    expect(summary.errors?.referenceWords).toBe(3);
    expect(before.endpoints.reference.source).toBe('labels');
    await api.call('saveSession', {});
    const reopened = await api.call('openSession', { path: file });
    expect(reopened.annotations['timer-pause']).toMatchObject({ trueEndS: 3.0, correctedText: 'set a timer', flags: ['bad-cutoff'] });
    expect(reopened.view).toEqual({ selected: 'timer-pause' });
    expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('earshot-session');
  });

  it('exports the session to the researchers formats', async () => {
    const { api } = client;
    for (const format of ['textgrid', 'audacity', 'ctm', 'csv', 'slf', 'nemo', 'bundle'] as const) {
      const { files } = await api.call('exportSession', { format, outDir: join(out, format) });
      expect(files.length).toBeGreaterThan(0);
    }
    expect(readdirSync(join(out, 'textgrid'))).toContain('timer-pause.TextGrid');
  });

  it('names the problem when a data set or a session file is bad', async () => {
    const { api } = client;
    await expect(api.call('openDataset', { path: join(out, 'nowhere') })).rejects.toThrow(/no such file or folder/);
    await expect(api.call('openSession', { path: demoManifest })).rejects.toThrow(/manifest\.jsonl/);
    await expect(api.call('getModelInfo', { modelDir: out })).rejects.toThrow(/encoder|tokens|model/);
  });
});
