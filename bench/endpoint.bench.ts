/**
 * End-pointer tuning: the speed of a threshold sweep from cached traces, and the quality of
 * the recommended pair against every baseline (sherpa-onnx and Kaldi rules, Silero VAD with
 * LiveKit's and Pipecat's settings, WebRTC VAD, energy) on
 * - the synthetic test split: bench/data/synthetic-test-traces.jsonl.gz, traces of
 *   training/corpus.py's 1,000 test utterances decoded by the shipped model (made by
 *   scripts/make-endpoint-traces.ts; plain names: final_p50_ms, …);
 * - real speech with reference ends: data/endpoint-labels/*.jsonl (see its README), decoded
 *   here from ../shared/data (names ending in _real). Without ../shared this benchmark fails
 *   and says so: its figures are not optional.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { TransducerModel } from '../src/engine/asr/transducer-model';
import { endpointQualityUnits, evaluateOnResults, type EndpointQualityMetrics } from '../src/engine/endpoint/evaluate-results';
import { defaultSweepOptions, gridKnobs, hundredPointGrid, runSweep, sweepGrid } from '../src/engine/endpoint/sweep';
import type { DecodeResultLine } from '../src/engine/endpoint/sweep-results-file';
import { syntheticCorpus } from '../src/engine/endpoint/synthetic-stream';
import { decodeForEndpointing, traceLine } from '../src/engine/endpoint/trace-set';
import { describeDefinitions } from '../src/shared/endpoint/definitions';
import type { BenchOutput } from './run';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SYNTHETIC = join(root, 'bench/data/synthetic-test-traces.jsonl.gz');
const REAL_TRACES = join(root, 'bench/results/endpoint-real-traces.jsonl');
const LABELS = ['real-train-test.jsonl', 'real-speech.jsonl'].map((name) => join(root, 'data/endpoint-labels', name));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeMs(work: () => unknown): number {
  const t0 = performance.now();
  work();
  return performance.now() - t0;
}

function jsonl<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

interface LabelLine {
  id: string;
  audio: string;
  text: string | null;
  speech_end: number | null;
}

/** The labelled real recordings, decoded now (they live in ../shared, outside the repository). */
async function realTraces(): Promise<DecodeResultLine[]> {
  const model = TransducerModel.load(join(root, 'resources/models/earshot-rnnt'), { intraOpNumThreads: 1 });
  const lines: DecodeResultLine[] = [];
  for (const file of LABELS) {
    for (const label of jsonl<LabelLine>(readFileSync(file, 'utf8'))) {
      const path = resolve(dirname(file), label.audio);
      if (!existsSync(path)) throw new Error(`${path} is missing: the real-label figures need ../shared/data beside the project (see data/endpoint-labels/README.md)`);
      const decode = await decodeForEndpointing(model, path, { beam: 4 });
      lines.push(traceLine({ id: label.id, text: label.text, speechEndS: label.speech_end }, decode, label.audio));
    }
  }
  return lines;
}

export default async function run(): Promise<BenchOutput> {
  const utterances = syntheticCorpus(1000, 1);
  const hundred = { ...defaultSweepOptions, grid: hundredPointGrid };
  const pairs = gridKnobs(hundred).length;
  if (pairs !== 100) throw new Error(`the speed grid has ${pairs} points, not 100`);
  // Grid, Pareto front and recommended pair: the part that runs on every slider move.
  for (let i = 0; i < 3; i++) sweepGrid(utterances, hundred);
  const sweepMs = median(Array.from({ length: 9 }, () => timeMs(() => sweepGrid(utterances, hundred))));
  // Everything `earshot sweep` does after parsing, on its default grid: plus the pair's dual run and every baseline.
  await runSweep(utterances);
  const t0 = performance.now();
  await runSweep(utterances);
  const fullMs = performance.now() - t0;

  const metrics: Record<string, number> = { sweep_1000x100_ms: sweepMs, sweep_full_1000_ms: fullMs };
  const units: Record<string, string> = { sweep_1000x100_ms: 'ms', sweep_full_1000_ms: `ms (${gridKnobs(defaultSweepOptions).length} settings and every baseline)` };
  const notes: Record<string, string> = {};
  const put = ({ metrics: quality, recommended }: { metrics: EndpointQualityMetrics; recommended: string }, suffix: string): void => {
    notes[`recommended${suffix}`] = recommended;
    for (const [key, value] of Object.entries(quality)) {
      metrics[key + suffix] = value;
      units[key + suffix] = endpointQualityUnits[key as keyof typeof endpointQualityUnits];
    }
  };
  const synthetic = jsonl<DecodeResultLine>(gunzipSync(readFileSync(SYNTHETIC)).toString('utf8'));
  put(await evaluateOnResults(synthetic), '');
  // What the 320 ms encoder chunks cost: the same traces with every decision available at its frame's end.
  const perFrame = await evaluateOnResults(synthetic.map((line) => ({ ...line, partials: [] })));
  metrics.final_p50_ms_if_per_frame = perFrame.metrics.final_p50_ms ?? NaN;
  units.final_p50_ms_if_per_frame = 'ms (synthetic, as if the encoder handed over every 40 ms frame instead of 320 ms chunks)';
  const real = await realTraces();
  mkdirSync(dirname(REAL_TRACES), { recursive: true });
  // Kept beside the results (not committed): `earshot sweep bench/results/endpoint-real-traces.jsonl` re-scores them.
  writeFileSync(REAL_TRACES, real.map((line) => JSON.stringify(line)).join('\n') + '\n');
  put(await evaluateOnResults(real), '_real');
  const { finalCutoffBudget, speculativeCutoffBudget, noFireBudget, speculativeLeadS, definitions } = defaultSweepOptions;
  Object.assign(notes, {
    sweep_data: `1000 synthetic traces (mean ${Math.round(utterances.reduce((n, u) => n + u.stream.trace.numFrames, 0) / utterances.length)} frames) × ${pairs} (end-of-query threshold, trailing silence) pairs`,
    quality_data: `synthetic: ${synthetic.length} utterances of bench/data/synthetic-test-traces.jsonl.gz; _real: ${real.length} recordings of data/endpoint-labels/ (../shared/data); each continued by 2 s of its own background`,
    definitions: `${describeDefinitions(definitions)}; budgets: final cut-off ${finalCutoffBudget}, speculative cut-off ${speculativeCutoffBudget}, no-fire ${noFireBudget}, lead ≥ ${speculativeLeadS * 1000} ms at p50`,
  });
  return { metrics, units, notes };
}
