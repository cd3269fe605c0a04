/**
 * `earshot decode`'s engine: decodes a manifest or a folder, in parallel across cores, and
 * appends one JSON line per utterance as each finishes. Every line is a single append
 * (O_APPEND), so an interrupted run leaves whole lines only, and the ones already written stay.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { contextFromNames, parseContextList, type ContextEntry } from '../bias/context-list';
import { resolveModelDir } from '../asr/model-dir';
import { readDatasetInput } from './dataset-input';
import type { ResultLine } from './result-line';
import { inThreadRunner, workerThreadRunner, type UtteranceRunner } from './utterance-runner';
import type { UtteranceJob } from './worker-task';

export interface DatasetProgress {
  done: number;
  total: number;
  failed: number;
  /** The input that just finished. */
  audio: string;
  elapsedS: number;
  /** Audio seconds decoded so far. */
  audioS: number;
}

export interface DecodeDatasetOptions {
  /** A manifest (.jsonl) or a folder of audio files. */
  input: string;
  /** Results file (JSON lines); truncated at the start. */
  out: string;
  modelDir: string;
  /** 'int8' or 'fp32'; default: the model's default variant. */
  variant?: string;
  /** A biasing list file (`name` or `name :boost` per line), added to every utterance's own list. */
  context?: string;
  /** 1 = greedy; default 4 (modified beam search). */
  beam?: number;
  maxSymbolsPerFrame?: number;
  /** Default true. */
  shallowFusion?: boolean;
  /** Default true. */
  attentionBias?: boolean;
  defaultBoost?: number;
  /** Worker threads (default: cores when workerUrl is given, else none). 0 decodes in this thread. */
  workers?: number;
  /** The engine worker entry (with the decodeUtterance task registered); needed for workers > 0. */
  workerUrl?: URL;
  /** Runs utterances somewhere else (e.g. the host's own worker pool); overrides workers/workerUrl. */
  runner?: UtteranceRunner;
  onProgress?: (p: DatasetProgress) => void;
  signal?: AbortSignal;
}

export interface DecodeDatasetSummary {
  total: number;
  done: number;
  failed: number;
  cancelled: boolean;
  elapsedS: number;
  audioS: number;
  /** Wall time over audio time, all workers together. */
  rtf: number;
  out: string;
}

export async function decodeDataset(options: DecodeDatasetOptions): Promise<DecodeDatasetSummary> {
  const items = readDatasetInput(options.input);
  resolveModelDir(options.modelDir, { variant: options.variant }); // fail before any work with a clear message
  const globalContext: ContextEntry[] = options.context ? parseContextList(readFileSync(options.context, 'utf8')) : [];
  const jobs: UtteranceJob[] = items.map((item) => ({
    path: item.path,
    audio: item.audio,
    text: item.text,
    context: [...globalContext, ...contextFromNames(item.context ?? [])],
    modelDir: options.modelDir,
    variant: options.variant,
    beam: options.beam ?? 4,
    maxSymbolsPerFrame: options.maxSymbolsPerFrame,
    shallowFusion: options.shallowFusion ?? true,
    attentionBias: options.attentionBias ?? true,
    defaultBoost: options.defaultBoost,
  }));

  const runner = makeRunner(options, jobs.length);
  const fd = openSync(options.out, 'w');
  const started = performance.now();
  const summary: DecodeDatasetSummary = { total: jobs.length, done: 0, failed: 0, cancelled: false, elapsedS: 0, audioS: 0, rtf: 0, out: options.out };
  const signal = options.signal;
  const stop = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  let next = 0;

  let closed = false;
  const record = (line: ResultLine): void => {
    if (closed) return; // a result that arrived after cancel: its worker is being stopped
    writeSync(fd, JSON.stringify(line) + '\n');
    summary.done++;
    if (line.error) summary.failed++;
    summary.audioS += line.duration_s;
    summary.elapsedS = (performance.now() - started) / 1000;
    options.onProgress?.({ done: summary.done, total: summary.total, failed: summary.failed, audio: line.audio, elapsedS: summary.elapsedS, audioS: summary.audioS });
  };
  const lane = async (): Promise<void> => {
    while (next < jobs.length && !signal?.aborted) {
      const job = jobs[next++];
      record(await runner.run(job));
    }
  };

  try {
    const lanes = Promise.all(Array.from({ length: Math.min(runner.slots, jobs.length) }, lane));
    await Promise.race([lanes, stop]);
    summary.cancelled = signal?.aborted ?? false;
    // After a cancel the abandoned jobs reject when their workers stop; nobody waits for them.
    lanes.catch(() => {});
  } finally {
    closed = true;
    closeSync(fd);
    await runner.close();
  }
  summary.elapsedS = (performance.now() - started) / 1000;
  summary.rtf = summary.audioS > 0 ? summary.elapsedS / summary.audioS : 0;
  return summary;
}

function makeRunner(options: DecodeDatasetOptions, numJobs: number): UtteranceRunner {
  if (options.runner) return options.runner;
  if (options.workers === undefined && !options.workerUrl) return inThreadRunner();
  const workers = Math.min(options.workers ?? availableParallelism(), numJobs);
  if (workers <= 0) return inThreadRunner();
  if (!options.workerUrl) throw new Error('decodeDataset: workers > 0 needs workerUrl (the engine worker entry); pass workers: 0 to decode in this thread');
  return workerThreadRunner(options.workerUrl, workers);
}
