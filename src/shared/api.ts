/**
 * The API contract between the renderer and the engine. Each method has a schema that
 * validates its params at the boundary (the host runs it on every request) and a result
 * type. The renderer imports only src/shared, never engine code.
 */
import { z } from 'zod';
import type { RecordingInfo } from './domain/audio';
import type { JobEvent } from './protocol';

const path = z.string().min(1, 'a path is required').max(4096, 'the path is too long');

export const apiParams = {
  ping: z.object({}).strict(),
  getDefaults: z.object({}).strict(),
  listRecordings: z.object({ folder: path }).strict(),
  /** Deliberately slow CPU work in the engine: proves a slow request never blocks others. */
  busyWait: z.object({ ms: z.number().int().min(0).max(10_000) }).strict(),
} as const;

export interface AppDefaults {
  /** The folder of demo recordings the app opens on first start. */
  demoFolder: string;
  /** The model decoded with unless the user picks another. */
  modelDir: string;
}

export interface ApiResults {
  ping: { time: number };
  getDefaults: AppDefaults;
  listRecordings: RecordingList;
  busyWait: { ms: number };
}

export type ApiMethod = keyof typeof apiParams & keyof ApiResults;
export type ApiParams<M extends ApiMethod> = z.input<(typeof apiParams)[M]>;
export type ApiResult<M extends ApiMethod> = ApiResults[M];

export type JobListener = (event: JobEvent) => void;

/** What `window.earshot` is in Electron, and what the browser shell's client is. */
export interface EarshotApi {
  /**
   * Runs `method` in the engine. `requestId` (any unique string the caller picks) lets
   * the caller `cancel` it; `listener` receives its progress, partial results and logs.
   */
  call<M extends ApiMethod>(method: M, params: ApiParams<M>, listener?: JobListener, requestId?: string): Promise<ApiResult<M>>;
  cancel(requestId: string): void;
}

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(apiParams, name);
}

/** The audio files of one folder; files whose headers could not be read are listed apart. */
export interface RecordingList {
  folder: string;
  recordings: RecordingInfo[];
  problems: { path: string; message: string }[];
}
