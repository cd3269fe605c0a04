import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeResultLines, type LineProgress } from '../../../src/engine/dataset/write-result-lines';

const dir = mkdtempSync(join(tmpdir(), 'earshot-lines-'));
const read = (path: string): Array<{ item: number; error?: string }> =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { item: number; error?: string });
const later = <T>(value: T, ms: number): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('writing a data set result file', () => {
  it('writes one whole line per item as each finishes, counting failures', async () => {
    const out = join(dir, 'all.jsonl');
    const progress: LineProgress[] = [];
    const summary = await writeResultLines({
      items: [1, 2, 3, 4],
      slots: 2,
      out,
      run: (item) => later(item === 3 ? { item, error: 'unreadable' } : { item }, (5 - item) * 5),
      onProgress: (p) => progress.push(p),
    });
    expect(summary).toMatchObject({ done: 4, total: 4, failed: 1, cancelled: false });
    expect(read(out).map((l) => l.item).sort()).toEqual([1, 2, 3, 4]);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4]);
  });

  it('stops on cancel and keeps exactly the lines already written', async () => {
    const out = join(dir, 'cancelled.jsonl');
    const controller = new AbortController();
    const summary = await writeResultLines({
      items: [1, 2, 3, 4, 5, 6],
      slots: 1,
      out,
      signal: controller.signal,
      run: (item) => later({ item }, 5),
      onProgress: (p) => p.done === 2 && controller.abort(),
    });
    expect(summary.cancelled).toBe(true);
    expect(read(out).map((l) => l.item)).toEqual([1, 2]);
  });

  it('gives up when a job fails outright, keeping what was written', async () => {
    const out = join(dir, 'broken.jsonl');
    await expect(
      writeResultLines({ items: [1, 2, 3], slots: 1, out, run: (item) => (item === 2 ? Promise.reject(new Error('the model is broken')) : later({ item }, 1)) }),
    ).rejects.toThrow('the model is broken');
    expect(read(out).map((l) => l.item)).toEqual([1]);
  });
});
