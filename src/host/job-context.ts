import type { JobEvent } from '@shared/protocol';
import type { FileAccess } from './file-access';
import type { WorkerPool } from './worker-pool';
import type { ModelFolders } from '@engine/models/model-folders';
import type { CatalogSource } from '@engine/models/catalog';

/** Where the host finds what ships with the app, and where it may cache. */
export interface HostPaths {
  resourcesDir: string;
  demoFolder: string;
  modelDir: string;
  cacheDir: string;
  /** The user's models folder (downloads land there) and the shipped one. */
  models: ModelFolders;
  catalog: CatalogSource;
  /** The live microphone's data set: its manifest.jsonl and WAVs. */
  liveDir: string;
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
  /** Every path from a request goes through this before anything reads or writes it. */
  files: FileAccess;
}
