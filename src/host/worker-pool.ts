import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
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
}

/**
 * A fixed pool of engine worker threads. CPU-bound engine work (decoding, ONNX runs,
 * sweeps) runs here so the host's own thread always answers quick requests.
 * Cancelling a running task terminates its thread: synchronous work cannot be
 * interrupted any other way, and a fresh thread replaces it.
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
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.urgent) this.queue.unshift(queued);
      else this.queue.push(queued);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new ApiError('engine-error', 'the worker pool closed'));
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
    if (this.slots.length >= this.size) return undefined;
    return this.spawn();
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.workerUrl) };
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
    if (message.type === 'progress') {
      task.onProgress?.(message.done, message.total, message.message);
      return;
    }
    if (message.type === 'partial') {
      task.onPartial?.(message.data);
      return;
    }
    slot.task = undefined;
    if (message.type === 'done') task.resolve(message.result);
    else task.reject(new ApiError(message.code ?? 'engine-error', message.message));
    this.pump();
  }

  private abort(task: QueuedTask): void {
    const queuedAt = this.queue.indexOf(task);
    if (queuedAt >= 0) {
      this.queue.splice(queuedAt, 1);
      task.reject(cancelled());
      return;
    }
    const slot = this.slots.find((s) => s.task === task);
    if (slot) this.retire(slot, cancelled());
  }

  /** Ends a slot's thread, fails its task, and lets a fresh thread take its place. */
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
