/**
 * Where utterances are decoded: in this thread, or in a pool of engine worker threads that
 * speak the host's worker protocol (`{ id, task, params }` in; `done` / `failed` /
 * `progress` out) and have the `decodeUtterance` task registered.
 */
import { Worker } from 'node:worker_threads';
import type { ResultLine } from './result-line';
import { createDecodeUtteranceTask, type UtteranceJob } from './worker-task';

export interface UtteranceRunner {
  /** How many jobs may run at once. */
  readonly slots: number;
  run(job: UtteranceJob): Promise<ResultLine>;
  /** Stops everything; running jobs are abandoned. */
  close(): Promise<void>;
}

export const DECODE_UTTERANCE_TASK = 'decodeUtterance';

export function inThreadRunner(): UtteranceRunner {
  const task = createDecodeUtteranceTask();
  return { slots: 1, run: task, close: async () => {} };
}

type FromWorker = { id: number; type: 'done'; result: unknown } | { id: number; type: 'failed'; message: string } | { id: number; type: 'progress' };

interface Busy {
  resolve(line: ResultLine): void;
  reject(err: Error): void;
}

export function workerThreadRunner(workerUrl: URL, size: number): UtteranceRunner {
  const idle: Worker[] = [];
  const waiting: ((w: Worker) => void)[] = [];
  const busy = new Map<number, Busy>();
  const all: Worker[] = [];
  let nextId = 1;
  for (let i = 0; i < size; i++) {
    const worker = new Worker(workerUrl);
    worker.on('message', (m: FromWorker) => {
      const job = busy.get(m.id);
      if (!job || m.type === 'progress') return;
      busy.delete(m.id);
      if (m.type === 'done') job.resolve(m.result as ResultLine);
      else job.reject(new Error(m.message));
      release(worker);
    });
    worker.on('error', (err) => {
      for (const job of busy.values()) job.reject(new Error(`engine worker crashed: ${err.message}`));
      busy.clear();
    });
    all.push(worker);
    idle.push(worker);
  }
  const release = (w: Worker): void => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  const acquire = (): Promise<Worker> => {
    const w = idle.pop();
    return w ? Promise.resolve(w) : new Promise((resolve) => waiting.push(resolve));
  };
  return {
    slots: size,
    async run(job) {
      const worker = await acquire();
      const id = nextId++;
      return new Promise<ResultLine>((resolve, reject) => {
        busy.set(id, { resolve, reject });
        worker.postMessage({ id, task: DECODE_UTTERANCE_TASK, params: job });
      });
    },
    async close() {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
