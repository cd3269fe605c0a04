import { availableParallelism } from 'node:os';
import { positiveInteger } from './args';

/**
 * Worker threads for a run: one per core by default. More than the cores only adds memory
 * (each thread loads the model) and contention, so --workers is capped at the core count.
 */
export function workerCount(option: string | undefined, warn: (message: string) => void): number {
  const cores = Math.max(1, availableParallelism());
  if (option === undefined) return cores;
  const wanted = positiveInteger('--workers', option);
  if (wanted <= cores) return wanted;
  warn(`--workers ${wanted} is more than this machine's ${cores} cores; using ${cores}`);
  return cores;
}
