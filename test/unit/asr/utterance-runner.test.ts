import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDataset } from '../../../src/engine/dataset/decode-dataset';

const MODEL = join(__dirname, '../../fixtures/tiny-model');

/**
 * A stand-in for the host's engine worker: same protocol, answers decodeUtterance with a
 * line naming its thread after `delayMs`, so the pool's parallelism and cancel can be seen.
 */
const FAKE_WORKER = `
import { parentPort, threadId } from 'node:worker_threads';
parentPort.on('message', (m) => {
  if (m.task !== 'decodeUtterance') return parentPort.postMessage({ id: m.id, type: 'failed', message: 'unknown task' });
  setTimeout(() => parentPort.postMessage({ id: m.id, type: 'done', result: {
    audio: m.params.audio, hyp: 'thread ' + threadId, nbest: [], tokens: [], lattice_bytes: 0, audio_bytes: 0,
    decode_s: 0.1, duration_s: 1 } }), ${150});
});
`;

describe('worker-thread pool for data sets', () => {
  let dir: string;
  let workerUrl: URL;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-pool-'));
    writeFileSync(join(dir, 'worker.mjs'), FAKE_WORKER);
    workerUrl = pathToFileURL(join(dir, 'worker.mjs'));
    const lines = Array.from({ length: 6 }, (_, i) => JSON.stringify({ audio: `a${i}.wav` }));
    writeFileSync(join(dir, 'm.jsonl'), lines.join('\n'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('spreads utterances over worker threads', async () => {
    const out = join(dir, 'r.jsonl');
    const started = performance.now();
    const summary = await decodeDataset({ input: join(dir, 'm.jsonl'), out, modelDir: MODEL, workers: 3, workerUrl });
    const elapsed = performance.now() - started;
    expect(summary.done).toBe(6);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { audio: string; hyp: string });
    expect(new Set(lines.map((l) => l.audio)).size).toBe(6);
    expect(new Set(lines.map((l) => l.hyp)).size).toBe(3);
    expect(elapsed).toBeLessThan(6 * 150);
  });

  it('terminates the workers on cancel and keeps finished lines', async () => {
    const out = join(dir, 'c.jsonl');
    const controller = new AbortController();
    const summary = await decodeDataset({
      input: join(dir, 'm.jsonl'),
      out,
      modelDir: MODEL,
      workers: 2,
      workerUrl,
      signal: controller.signal,
      onProgress: (p) => p.done === 2 && controller.abort(),
    });
    expect(summary.cancelled).toBe(true);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(summary.done);
    expect(summary.done).toBeLessThan(6);
  });
});
