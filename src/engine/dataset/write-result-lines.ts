/**
 * Runs one job per item, `slots` at a time, and appends one JSON line per item as each
 * finishes. Every line is a single append (O_APPEND), so an interrupted run leaves whole
 * lines only, and the ones already in the file stay: a resumed run appends after them.
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
  /** Results file (JSON lines), appended to; the caller decides whether an existing one may be. */
  out: string;
  onProgress?: (progress: LineProgress) => void;
  /** Stops starting new items; the ones in flight finish and their lines are written. */
  signal?: AbortSignal;
}

export interface WriteLinesSummary extends LineProgress {
  cancelled: boolean;
}

export async function writeResultLines<T>(options: WriteLinesOptions<T>): Promise<WriteLinesSummary> {
  const { items, signal } = options;
  const fd = openSync(options.out, 'a');
  const started = performance.now();
  const summary: WriteLinesSummary = { done: 0, total: items.length, failed: 0, elapsedS: 0, cancelled: false };
  let next = 0;
  let broken = false;
  const lane = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted && !broken) {
      const line = await options.run(items[next++]).catch((error: unknown) => {
        broken = true;
        throw error;
      });
      writeSync(fd, JSON.stringify(line) + '\n');
      summary.done += 1;
      if (line.error) summary.failed += 1;
      summary.elapsedS = (performance.now() - started) / 1000;
      options.onProgress?.({ ...summary });
    }
  };
  // Every lane ends before the file closes, so no late line can land on a reused descriptor.
  const lanes = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(options.slots, items.length)) }, lane));
  closeSync(fd);
  const failure = lanes.find((l) => l.status === 'rejected');
  if (failure) throw failure.reason;
  summary.cancelled = (signal?.aborted ?? false) && summary.done < items.length;
  summary.elapsedS = (performance.now() - started) / 1000;
  return summary;
}
