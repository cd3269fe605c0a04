import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeDataset, type DatasetProgress } from '../../../src/engine/dataset/decode-dataset';
import type { ResultLine } from '../../../src/engine/dataset/result-line';

const MODEL = join(__dirname, '../../fixtures/tiny-model');

describe('data-set decoding', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-decode-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const readLines = (path: string): ResultLine[] =>
    readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ResultLine);

  it('decodes a manifest and writes one line per utterance', async () => {
    const manifest = join(dir, 'manifest.jsonl');
    writeFileSync(
      manifest,
      [
        JSON.stringify({ audio: join(MODEL, 'utt1.wav'), text: 'set the' }),
        JSON.stringify({ audio: join(MODEL, 'utt2.wav'), context: ['siobhan'] }),
        JSON.stringify({ audio: 'missing.wav' }),
      ].join('\n') + '\n',
    );
    const progress: DatasetProgress[] = [];
    const out = join(dir, 'results.jsonl');
    const summary = await decodeDataset({ input: manifest, out, modelDir: MODEL, beam: 2, workers: 0, onProgress: (p) => progress.push(p) });
    expect(summary).toMatchObject({ total: 3, done: 3, failed: 1, cancelled: false });
    const lines = readLines(out);
    expect(lines).toHaveLength(3);
    const [a, b, c] = lines;
    expect(a).toMatchObject({ audio: join(MODEL, 'utt1.wav'), text: 'set the' });
    expect(a.hyp.length).toBeGreaterThan(0);
    expect(a.nbest[0]).toHaveProperty('score');
    expect(a.tokens[0]).toHaveProperty('time_s');
    expect(a.lattice_bytes).toBeGreaterThan(0);
    expect(a.audio_bytes).toBe(17948 * 2);
    expect(a.duration_s).toBeCloseTo(17948 / 16000, 3);
    expect(a.decode_s).toBeGreaterThan(0);
    expect(b.context).toEqual(['siobhan']);
    expect(c.audio).toBe('missing.wav');
    expect(c.error).toBeDefined();
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3]);
  });

  it('decodes a folder of audio files', async () => {
    const out = join(dir, 'results.jsonl');
    const summary = await decodeDataset({ input: MODEL, out, modelDir: MODEL, beam: 1, workers: 0 });
    expect(summary.done).toBe(3);
    expect(readLines(out).map((l) => l.audio)).toEqual(['utt1.wav', 'utt2.wav', 'utt3.wav']);
  });

  it('stops on cancel and keeps the lines already written', async () => {
    const out = join(dir, 'results.jsonl');
    const controller = new AbortController();
    const summary = await decodeDataset({
      input: MODEL,
      out,
      modelDir: MODEL,
      beam: 1,
      workers: 0,
      signal: controller.signal,
      onProgress: (p) => p.done === 1 && controller.abort(),
    });
    expect(summary.cancelled).toBe(true);
    const lines = readLines(out);
    expect(lines.length).toBe(summary.done);
    expect(lines.length).toBeLessThan(3);
  });

  it('fails before decoding anything when the model directory is broken', async () => {
    await expect(decodeDataset({ input: MODEL, out: join(dir, 'r.jsonl'), modelDir: dir, workers: 0 })).rejects.toThrow(/no encoder\*\.onnx/);
  });
});
