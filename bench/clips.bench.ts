/**
 * The compressed-clip part of `npm run bench runtime` on its own (a minute rather than many):
 * 300 one-second clips as Opus, MP3 and FLAC against the same clips as WAV, each decoded and
 * recognised (greedy) in one thread with the runtime benchmark's model (bench/runtime/compressed.ts).
 */
import { loadavg } from 'node:os';
import { resolveModelDir } from '../src/engine/asr/model-dir';
import { TransducerModel } from '../src/engine/asr/transducer-model';
import { measureClips } from './runtime/compressed';
import { pickModel } from './runtime/pick-model';
import type { BenchOutput } from './run';

const ROUNDS = 9;

export default async function run(): Promise<BenchOutput> {
  const load = [loadavg()[0]];
  const picked = pickModel();
  const model = TransducerModel.load(picked.dir, { variant: resolveModelDir(picked.dir).variant });
  try {
    const { metrics, units } = await measureClips(model, ROUNDS);
    load.push(loadavg()[0]);
    return {
      metrics: { ...metrics, load_average_min: Math.min(...load), load_average_max: Math.max(...load) },
      units: { ...units, model: picked.label, load_average_min: '1-minute load average of the machine at the start and end' },
    };
  } finally {
    model.release();
  }
}
