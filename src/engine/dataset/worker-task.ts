/**
 * The unit of work of a data-set decode: one utterance, plain data in and out, so it can run
 * in this thread or in an engine worker thread. A task keeps the models it loaded, so a
 * worker loads each model once however many utterances it decodes.
 */
import type { ContextEntry } from '../bias/context-list';
import { decodeFile } from '../asr/decode-utterance';
import { TransducerModel } from '../asr/transducer-model';
import { failedLine, toResultLine, type ResultLine } from './result-line';

export interface UtteranceJob {
  /** Absolute audio path, and the name to write back. */
  path: string;
  audio: string;
  text?: string;
  /** The whole biasing list for this utterance (global list plus the manifest line's names). */
  context: ContextEntry[];
  modelDir: string;
  variant?: string;
  beam: number;
  maxSymbolsPerFrame?: number;
  shallowFusion: boolean;
  attentionBias: boolean;
  defaultBoost?: number;
  numThreads?: number;
}

export type DecodeUtteranceTask = (job: UtteranceJob) => Promise<ResultLine>;

/** Makes the task function; errors of one utterance become an `error` line, not a failed run. */
export function createDecodeUtteranceTask(): DecodeUtteranceTask {
  const models = new Map<string, TransducerModel>();
  return async (job) => {
    const key = `${job.modelDir}|${job.variant ?? ''}|${job.numThreads ?? 1}`;
    let loaded = models.get(key);
    if (!loaded) {
      // Outside the try: a broken model fails the whole run, since every line would fail alike.
      loaded = TransducerModel.load(job.modelDir, { variant: job.variant, intraOpNumThreads: job.numThreads ?? 1 });
      models.set(key, loaded);
    }
    try {
      const result = await decodeFile(loaded, job.path, {
        beam: job.beam,
        maxSymbolsPerFrame: job.maxSymbolsPerFrame,
        context: job.context,
        shallowFusion: job.shallowFusion,
        attentionBias: job.attentionBias,
        defaultBoost: job.defaultBoost,
      });
      return toResultLine(job.audio, job.text, job.context.length > 0 ? job.context.map((c) => c.phrase) : undefined, result);
    } catch (err) {
      return failedLine(job.audio, job.text, (err as Error).message);
    }
  };
}
