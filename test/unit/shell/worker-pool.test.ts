import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../../src/host/worker-pool';

const spinWorker = new URL('./fixtures/spin-worker.mjs', import.meta.url);

describe('the engine worker pool', () => {
  it('answers a cancelled task at once, lets its thread stop by itself, and reuses that thread', async () => {
    const pool = new WorkerPool(spinWorker, 1);
    try {
      const first = await pool.run<{ threadId: number }>('spin', { ms: 0 });
      const controller = new AbortController();
      const long = pool.run('spin', { ms: 60_000 }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      const started = Date.now();
      await expect(long).rejects.toMatchObject({ code: 'cancelled' });
      expect(Date.now() - started).toBeLessThan(5_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The thread was not terminated (terminating one inside onnxruntime aborts the process): it is used again.
      const next = await pool.run<{ threadId: number }>('spin', { ms: 0 });
      expect(next.threadId).toBe(first.threadId);
    } finally {
      await pool.close();
    }
  });

  it('starts a stand-in thread while a cancelled one is still finishing', async () => {
    const pool = new WorkerPool(new URL('./fixtures/spin-worker.mjs', import.meta.url), 1);
    try {
      const controller = new AbortController();
      const first = pool.run('spin', { ms: 60_000 }, { signal: controller.signal }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort();
      await first;
      await expect(pool.run('spin', { ms: 10 })).resolves.toMatchObject({ threadId: expect.any(Number) });
    } finally {
      await pool.close();
    }
  });

  it('closes only once running tasks have stopped', async () => {
    const pool = new WorkerPool(spinWorker, 2);
    const running = pool.run('spin', { ms: 60_000 }).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await pool.close();
    expect(await running).toMatchObject({ message: expect.stringMatching(/closed/) });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('one signal for many tasks', () => {
  it('raises no MaxListenersExceededWarning when a data set’s hundred tasks share a request’s signal', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    const pool = new WorkerPool(spinWorker, 2);
    try {
      const controller = new AbortController();
      await Promise.all(Array.from({ length: 100 }, () => pool.run('spin', { ms: 0 }, { signal: controller.signal })));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await pool.close();
    }
  });
});
