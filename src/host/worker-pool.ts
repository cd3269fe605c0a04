import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { setMaxListeners } from 'node:events';
import { ApiError } from '@shared/protocol';

/** Messages between the pool and an engine worker thread. */
export type ToWorker = { id: number; task: string; params: unknown };
export type FromWorker =
  | { id: number; type: 'done'; result: unknown }
  | { id: number; type: 'failed'; message: string; code?: string }
  | { id: number; type: 'progress'; done: number; total: number; message?: string }
  | { id: number; type: 'partial'; data: unknown };

export interface RunOptions {
  /** Jumps the queue: what a person waits for (a waveform) goes before a data set's backlog. */
  urgent?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, message?: string) => void;
  onPartial?: (data: unknown) => void;
}

interface QueuedTask extends RunOptions {
  message: ToWorker;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  task?: QueuedTask;
  /** Set by the pool when the running task is cancelled; the task polls it (see TaskReport.cancelled). */
  cancelFlag: Int32Array;
  /** The running task was cancelled: its caller has its answer, the thread finishes and is reused. */
  draining: boolean;
}

/** How long close() lets running tasks notice their cancellation before ending their threads anyway. */
const CLOSE_GRACE_MS = 10_000;

/**
 * A fixed pool of engine worker threads. CPU-bound engine work (decoding, ONNX runs,
 * sweeps) runs here so the host's own thread always answers quick requests.
 * Cancelling a running task answers its caller at once and raises the thread's cancel flag,
 * which the task checks between chunks; a fresh thread takes its place meanwhile. The thread
 * is never terminated while it runs: terminating one inside an onnxruntime call aborts the
 * whole process ("terminate called after throwing an instance of 'Napi::Error'").
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: QueuedTask[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly workerUrl: URL,
    readonly size: number = Math.max(1, availableParallelism()),
  ) {}

  run<T>(task: string, params: unknown, options: RunOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new ApiError('engine-error', 'the worker pool is closed'));
    if (options.signal?.aborted) return Promise.reject(cancelled());
    return new Promise<T>((resolve, reject) => {
      // The listener goes once the task settles: one signal may cancel thousands of tasks.
      const onAbort = (): void => this.abort(queued);
      const settle = (): void => options.signal?.removeEventListener('abort', onAbort);
      const queued: QueuedTask = {
        message: { id: this.nextId++, task, params },
        ...options,
        resolve: (result) => {
          settle();
          resolve(result as T);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      // A data set's tasks share their request's signal: hundreds of listeners are expected, not a leak.
      if (options.signal) setMaxListeners(0, options.signal);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.urgent) this.queue.unshift(queued);
      else this.queue.push(queued);
      this.pump();
    });
  }

  /** Ends every thread once it is idle (running tasks are cancelled and given a grace period). */
  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new ApiError('engine-error', 'the worker pool closed'));
    for (const slot of this.slots) if (slot.task) this.cancelRunning(slot, new ApiError('engine-error', 'the worker pool closed'));
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (this.slots.some((s) => s.task) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.idleSlot();
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.postMessage(task.message);
    }
  }

  private idleSlot(): Slot | undefined {
    const idle = this.slots.find((s) => !s.task);
    if (idle) return idle;
    if (this.slots.filter((s) => !s.draining).length >= this.size) return undefined;
    return this.spawn();
  }

  private spawn(): Slot {
    const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
    const slot: Slot = { worker: new Worker(this.workerUrl, { workerData: { cancelFlag } }), cancelFlag, draining: false };
    slot.worker.on('message', (message: FromWorker) => this.onMessage(slot, message));
    slot.worker.on('error', (error) => this.retire(slot, new ApiError('engine-error', `engine worker crashed: ${error.message}`)));
    slot.worker.on('exit', (code) => {
      if (slot.task) this.retire(slot, new ApiError('engine-error', `engine worker exited with code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    const task = slot.task;
    if (!task || task.message.id !== message.id) return;
    if (slot.draining && (message.type === 'progress' || message.type === 'partial')) return;
    if (message.type === 'progress') {
      task.onProgress?.(message.done, message.total, message.message);
      return;
    }
    if (message.type === 'partial') {
      task.onPartial?.(message.data);
      return;
    }
    slot.task = undefined;
    if (slot.draining) {
      this.reuse(slot);
    } else if (message.type === 'done') task.resolve(message.result);
    else task.reject(new ApiError(message.code ?? 'engine-error', message.message));
    this.pump();
  }

  /** A cancelled task's thread is idle again: keep it, or end it if a replacement took its place. */
  private reuse(slot: Slot): void {
    slot.draining = false;
    Atomics.store(slot.cancelFlag, 0, 0);
    if (!this.closed && this.slots.length <= this.size) return;
    this.slots.splice(this.slots.indexOf(slot), 1);
    void slot.worker.terminate();
  }

  private cancelRunning(slot: Slot, error: Error): void {
    const task = slot.task;
    if (!task || slot.draining) return;
    slot.draining = true;
    Atomics.store(slot.cancelFlag, 0, 1);
    task.reject(error);
  }

  private abort(task: QueuedTask): void {
    const queuedAt = this.queue.indexOf(task);
    if (queuedAt >= 0) {
      this.queue.splice(queuedAt, 1);
      task.reject(cancelled());
      return;
    }
    const slot = this.slots.find((s) => s.task === task);
    if (slot) {
      this.cancelRunning(slot, cancelled());
      this.pump();
    }
  }

  /** Ends a crashed slot's thread, fails its task, and lets a fresh thread take its place. */
  private retire(slot: Slot, error: Error): void {
    const task = slot.task;
    slot.task = undefined;
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    void slot.worker.terminate();
    task?.reject(error);
    this.pump();
  }
}

function cancelled(): ApiError {
  return new ApiError('cancelled', 'the request was cancelled');
}
