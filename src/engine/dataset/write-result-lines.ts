/**
 * Runs one job per item, `slots` at a time, and appends one JSON line per item as each
 * finishes. Every line is a single append (O_APPEND), so an interrupted run leaves whole
 * lines only, and the ones already written stay.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface LineProgress {
  done: number;
  total: number;
  failed: number;
  elapsedS: number;
}

export interface WriteLinesOptions<T> {
  items: readonly T[];
  /** Produces an item's line; a rejection stops the run (a broken model fails every item alike). */
  run(item: T): Promise<object & { error?: string }>;
  slots: number;
  /** Results file (JSON lines); truncated at the start. */
  out: string;
  onProgress?: (progress: LineProgress) => void;
  signal?: AbortSignal;
}

export interface WriteLinesSummary extends LineProgress {
  cancelled: boolean;
}

export async function writeResultLines<T>(options: WriteLinesOptions<T>): Promise<WriteLinesSummary> {
  const { items, signal } = options;
  const fd = openSync(options.out, 'w');
  const started = performance.now();
  const summary: WriteLinesSummary = { done: 0, total: items.length, failed: 0, elapsedS: 0, cancelled: false };
  let next = 0;
  let closed = false;
  const stop = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  const lane = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const line = await options.run(items[next++]);
      if (closed) return; // finished after a cancel: its line is not wanted
      writeSync(fd, JSON.stringify(line) + '\n');
      summary.done += 1;
      if (line.error) summary.failed += 1;
      summary.elapsedS = (performance.now() - started) / 1000;
      options.onProgress?.({ ...summary });
    }
  };
  try {
    const lanes = Promise.all(Array.from({ length: Math.max(1, Math.min(options.slots, items.length)) }, lane));
    await Promise.race([lanes, stop]);
    summary.cancelled = signal?.aborted ?? false;
    // After a cancel, jobs in flight reject when their workers stop; nobody waits for them.
    lanes.catch(() => {});
  } finally {
    closed = true;
    closeSync(fd);
  }
  summary.elapsedS = (performance.now() - started) / 1000;
  return summary;
}
