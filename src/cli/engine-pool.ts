import { WorkerPool } from '../host/worker-pool';

/** The CLI runs the same engine worker threads as the app's host (built beside cli.js). */
export function createEnginePool(size?: number): WorkerPool {
  return new WorkerPool(new URL('./engine-worker.js', import.meta.url), size);
}
