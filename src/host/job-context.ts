import type { JobEvent } from '@shared/protocol';
import type { WorkerPool } from './worker-pool';

/** Where the host finds what ships with the app, and where it may cache. */
export interface HostPaths {
  resourcesDir: string;
  demoFolder: string;
  modelDir: string;
  cacheDir: string;
  /** Where sessions and exports are suggested to go. */
  documentsDir: string;
  /** The only folders the folder browser shows, and what lies below them. */
  browseRoots: string[];
}

/** What a handler gets besides its params: cancellation, progress, the worker pool. */
export interface JobContext {
  signal: AbortSignal;
  emit(event: JobEvent): void;
  progress(done: number, total: number, message?: string): void;
  pool: WorkerPool;
  paths: HostPaths;
}
