/**
 * End-pointer tuning: the speed of a threshold sweep from cached traces and, given real
 * decodes of the synthetic test split (EARSHOT_BENCH_RESULTS = a JSONL of decode results with
 * traces and reference ends), the quality of the recommended pair against sherpa-onnx's defaults.
 */
import { readFileSync } from 'node:fs';
import { endpointQualityUnits, evaluateOnResults } from '../src/engine/endpoint/evaluate-results';
import { defaultSweepOptions, gridKnobs, runSweep, sweepGrid } from '../src/engine/endpoint/sweep';
import type { DecodeResultLine } from '../src/engine/endpoint/sweep-results-file';
import { syntheticCorpus } from '../src/engine/endpoint/synthetic-stream';
import type { BenchOutput } from './run';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeMs(work: () => unknown): number {
  const t0 = performance.now();
  work();
  return performance.now() - t0;
}

export default async function run(): Promise<BenchOutput> {
  const utterances = syntheticCorpus(1000, 1);
  const pairs = gridKnobs(defaultSweepOptions).length;
  if (pairs !== 100) throw new Error(`the default grid has ${pairs} points, not 100`);
  // Grid, Pareto front and recommended pair: the part that runs on every slider move.
  for (let i = 0; i < 3; i++) sweepGrid(utterances);
  const sweepMs = median(Array.from({ length: 9 }, () => timeMs(() => sweepGrid(utterances))));
  // Everything `earshot sweep` does after parsing: plus the pair's dual run and both presets.
  await runSweep(utterances);
  const t0 = performance.now();
  await runSweep(utterances);
  const fullMs = performance.now() - t0;

  const metrics: Record<string, number> = { sweep_1000x100_ms: sweepMs, sweep_full_1000_ms: fullMs };
  const units: Record<string, string> = { sweep_1000x100_ms: 'ms', sweep_full_1000_ms: 'ms' };
  const notes: Record<string, string> = {
    sweep_data: `1000 synthetic traces (mean ${Math.round(utterances.reduce((n, u) => n + u.stream.trace.numFrames, 0) / utterances.length)} frames) × ${pairs} (end-of-query threshold, trailing silence) pairs`,
  };
  const resultsFile = process.env.EARSHOT_BENCH_RESULTS;
  if (resultsFile) {
    const lines = readFileSync(resultsFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as DecodeResultLine);
    const quality = await evaluateOnResults(lines);
    for (const [key, value] of Object.entries(quality)) {
      metrics[key] = value;
      units[key] = endpointQualityUnits[key as keyof typeof endpointQualityUnits];
    }
    notes.quality_data = `${resultsFile} (${lines.length} utterances)`;
  } else {
    notes.quality_data = 'EARSHOT_BENCH_RESULTS not set: quality metrics left out';
  }
  return { metrics, units, notes };
}
