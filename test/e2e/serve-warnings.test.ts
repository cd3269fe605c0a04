import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { connectApiClient } from './api-client';
import { root, startServe } from './harness';

it('earshot serve analyses a data set of 12 utterances without a MaxListenersExceededWarning', async () => {
  const demo = join(root, 'resources', 'demo');
  const lines = readFileSync(join(demo, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { audio: string });
  // The browser shell reads only inside the opened folder: the recordings go beside the manifest.
  const dir = mkdtempSync(join(tmpdir(), 'earshot-serve-warnings-'));
  for (const l of lines) copyFileSync(join(demo, l.audio), join(dir, l.audio));
  const manifest = join(dir, 'many.jsonl');
  writeFileSync(manifest, Array.from({ length: 12 }, (_, i) => JSON.stringify({ ...lines[i % 5], id: `u${i}` })).join('\n') + '\n');
  const served = await startServe([], { EARSHOT_MODEL: join(root, 'test', 'fixtures', 'tiny-model') });
  let stderr = '';
  served.process.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const { api, close } = await connectApiClient(served.url);
    const dataset = await api.call('openDataset', { path: manifest });
    expect((await api.call('analyzeDataset', { datasetId: dataset.id })).utterances).toHaveLength(12);
    close();
  } finally {
    await served.stop();
  }
  expect(stderr).not.toMatch(/Warning/);
});
