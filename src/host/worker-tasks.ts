/**
 * The CPU-bound tasks an engine worker thread runs. Each takes plain data and a
 * progress callback and returns plain data (it crosses postMessage).
 */
import { getPeaks, type GetPeaksOptions } from '@engine/audio/peaks-cache';
import { logMelSpectrogram, type SpectrogramSpan } from '@engine/features/spectrogram';

export type ReportProgress = (done: number, total: number, message?: string) => void;
export type WorkerTask = (params: never, progress: ReportProgress) => unknown | Promise<unknown>;

export const workerTasks = {
  /** Spins the CPU for `ms`: a deliberately slow request, used to prove the host stays responsive. */
  busyWait(params: { ms: number }): { ms: number } {
    const until = performance.now() + params.ms;
    while (performance.now() < until) {
      // spin: the point is to occupy this thread
    }
    return { ms: params.ms };
  },
  /** Peaks come from one streaming pass over the file (cached), which is CPU-bound for long files. */
  peaks(params: GetPeaksOptions & { path: string }) {
    return getPeaks(params.path, params);
  },
  spectrogram(params: { path: string; span: SpectrogramSpan }) {
    return logMelSpectrogram(params.path, params.span);
  },
} satisfies Record<string, WorkerTask>;

export type WorkerTaskName = keyof typeof workerTasks;
