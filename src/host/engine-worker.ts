import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './worker-pool';
import { createWorkerTasks, type TaskReport } from './worker-tasks';

/** Entry of an engine worker thread: runs one task at a time for the pool. */
const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');
const tasks = createWorkerTasks() as unknown as Record<string, (params: unknown, report: TaskReport) => unknown>;
/** Raised by the pool when the running task is cancelled (a thread cannot be stopped mid-call safely). */
const cancelFlag = (workerData as { cancelFlag?: Int32Array } | null)?.cancelFlag ?? new Int32Array(1);

port.on('message', async (message: ToWorker) => {
  const reply = (m: FromWorker): void => port.postMessage(m);
  const task = tasks[message.task];
  if (!task) {
    reply({ id: message.id, type: 'failed', message: `unknown worker task "${message.task}"` });
    return;
  }
  try {
    const result = await task(message.params, {
      progress: (done, total, text) => reply({ id: message.id, type: 'progress', done, total, message: text }),
      partial: (data) => reply({ id: message.id, type: 'partial', data }),
      cancelled: () => Atomics.load(cancelFlag, 0) !== 0,
    });
    reply({ id: message.id, type: 'done', result });
  } catch (error) {
    const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined;
    reply({ id: message.id, type: 'failed', message: error instanceof Error ? error.message : String(error), code });
  }
});
