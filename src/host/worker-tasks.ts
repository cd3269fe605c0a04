/**
 * The CPU-bound tasks an engine worker thread runs. Each takes plain data and returns plain
 * data (it crosses postMessage). A worker keeps the models it loaded, so a data set loads
 * each model once per thread.
 */
import type { PartialResult } from '@shared/domain/decode';
import type { Utterance } from '@shared/domain/session';
import type { DecodeOptions as ApiDecodeOptions } from '@shared/api';
import type { EndpointKnobsPair, UtteranceAnalysis } from '@shared/domain/workbench';
import { getPeaks, type GetPeaksOptions } from '@engine/audio/peaks-cache';
import { logMelSpectrogram, type SpectrogramSpan } from '@engine/features/spectrogram';
import { TransducerModel } from '@engine/asr/transducer-model';
import { decodeBatch } from '@engine/asr/batch-decoder';
import { analyzeDecodedUtterance } from '@engine/analysis/analyze-utterance';
import { decodeLineOf, type DecodeLine } from '@engine/analysis/decode-line';
import { decodeUtteranceAudio, utteranceSamples, withAudioTracks, type UtteranceSamples } from '@engine/analysis/decode-utterance-audio';
import { referenceOf, type UtteranceReference } from '@engine/analysis/evaluation-utterance';
import { withUtteranceContext } from '@engine/analysis/utterance-context';
import { provenanceOf } from '@engine/models/model-provenance';

export interface TaskReport {
  progress(done: number, total: number, message?: string): void;
  partial(data: unknown): void;
  /** True once the pool has cancelled this task: long work checks it and stops. */
  cancelled(): boolean;
}

/** Thrown inside a worker when its task was cancelled; nobody waits for the answer any more. */
class TaskCancelled extends Error {
  readonly code = 'cancelled';
  constructor() {
    super('the request was cancelled');
  }
}

export interface AnalyzeUtteranceParams {
  utterance: Utterance;
  reference: UtteranceReference;
  modelDir: string;
  decoding: ApiDecodeOptions;
  knobs: EndpointKnobsPair;
  /** Stream a partial result after every chunk (single-utterance views). */
  streamPartials: boolean;
}

/** The params for one utterance: its own names join the biasing list, its labels the reference. */
export function utteranceTaskParams(
  utterance: Utterance,
  settings: { modelDir: string; decoding: ApiDecodeOptions; knobs: EndpointKnobsPair },
  streamPartials = false,
): AnalyzeUtteranceParams {
  return { utterance, reference: referenceOf(utterance), modelDir: settings.modelDir, decoding: withUtteranceContext(settings.decoding, utterance), knobs: settings.knobs, streamPartials };
}

/** Recognition only, of utterances already in memory: the data-set throughput path. */
export interface DecodeBatchParams {
  modelDir: string;
  variant?: string;
  /** 16 kHz mono samples, one array per utterance. */
  samples: Float32Array[];
  /** Streams per encoder call (see decodeBatch). */
  streams: number;
  beam?: number;
  maxSymbolsPerFrame?: number;
  /** Silence after each utterance (s); unset, the model's. */
  tailPaddingS?: number;
}

/** Several utterances of one data set, decoded together (`earshot decode --batch`). */
export interface DecodeLinesParams {
  /** One entry per utterance; all name the same model, variant and end-pointer settings. */
  items: AnalyzeUtteranceParams[];
  /** Streams per encoder call (see decodeBatch). */
  streams: number;
}

/** An utterance that could not be decoded: its own failure, not the batch's. */
export interface FailedItem {
  error: string;
}

export function createWorkerTasks() {
  const models = new Map<string, TransducerModel>();
  const modelFor = (dir: string, variant: string | undefined): TransducerModel => {
    const key = `${dir}|${variant}`;
    let model = models.get(key);
    if (!model) {
      model = TransducerModel.load(dir, { variant, intraOpNumThreads: 1 });
      models.set(key, model);
    }
    return model;
  };
  /** The decode, and which model and settings made it. */
  const decodeWith = async (params: AnalyzeUtteranceParams, report: TaskReport, streamPartials: boolean) => {
    // The contract's decode options are the engine's, plus the variant that picked the model.
    const { variant, ...decoding } = params.decoding;
    // The decoder calls onPartial after every chunk: where a cancelled decode stops.
    const onPartial = (p: PartialResult): void => {
      if (report.cancelled()) throw new TaskCancelled();
      if (streamPartials) report.partial(p);
    };
    const model = modelFor(params.modelDir, variant);
    const [decode, provenance] = await Promise.all([decodeUtteranceAudio(model, params.utterance, { ...decoding, onPartial }), provenanceOf(model.spec, params.decoding)]);
    return { decode, provenance };
  };

  return {
    /** Spins the CPU for `ms`: a deliberately slow request, used to prove the host stays responsive. */
    busyWait(params: { ms: number }, report: TaskReport): { ms: number } {
      const until = performance.now() + params.ms;
      while (performance.now() < until) {
        // spin: the point is to occupy this thread
        if (report.cancelled()) throw new TaskCancelled();
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
    async analyzeUtterance(params: AnalyzeUtteranceParams, report: TaskReport): Promise<UtteranceAnalysis> {
      const { decode, provenance } = await decodeWith(params, report, params.streamPartials);
      return { ...analyzeDecodedUtterance(params.utterance, decode, params.reference, params.knobs), model: provenance };
    },
    /** The 1-best of each utterance, several streams per encoder call, and the seconds it took. */
    decodeBatch(params: DecodeBatchParams): { hyps: string[]; seconds: number } {
      const model = modelFor(params.modelDir, params.variant);
      const t0 = performance.now();
      const results = decodeBatch(
        model,
        params.samples.map((samples) => ({ samples })),
        { streams: params.streams, beam: params.beam ?? 1, maxSymbolsPerFrame: params.maxSymbolsPerFrame, tailPaddingS: params.tailPaddingS },
      );
      return { hyps: results.map((r) => r.hyp), seconds: (performance.now() - t0) / 1000 };
    },
    /**
     * Lines of `earshot decode` for several utterances, their chunks stacked into shared encoder
     * calls; in input order. An utterance whose audio cannot be read fails alone.
     */
    async decodeLines(params: DecodeLinesParams): Promise<Array<DecodeLine | FailedItem>> {
      const { modelDir, decoding, knobs } = params.items[0];
      const model = modelFor(modelDir, decoding.variant);
      const audio = await Promise.all(params.items.map((item) => utteranceSamples(item.utterance).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }))));
      const readable = params.items.flatMap((item, i) => ('samples' in audio[i] ? [{ item, audio: audio[i] as UtteranceSamples }] : []));
      const decodes = decodeBatch(
        model,
        readable.map(({ item, audio }) => {
          const { variant: _variant, ...own } = item.decoding;
          return { samples: audio.samples, id: item.utterance.id, decoding: own };
        }),
        { streams: params.streams },
      );
      const lines = new Map<AnalyzeUtteranceParams, DecodeLine>();
      for (const [i, { item, audio }] of readable.entries()) {
        const [decode, provenance] = await Promise.all([withAudioTracks(decodes[i], audio), provenanceOf(model.spec, item.decoding)]);
        lines.set(item, { ...decodeLineOf(item.utterance, decode, knobs), model: provenance });
      }
      return params.items.map((item, i) => lines.get(item) ?? (audio[i] as FailedItem));
    },
    /** One line of `earshot decode`, with what `earshot sweep` needs to re-score end-pointers. */
    async decodeLine(params: AnalyzeUtteranceParams, report: TaskReport): Promise<DecodeLine> {
      const { decode, provenance } = await decodeWith(params, report, false);
      return { ...decodeLineOf(params.utterance, decode, params.knobs), model: provenance };
    },
  };
}

export type WorkerTasks = ReturnType<typeof createWorkerTasks>;
export type WorkerTaskName = keyof WorkerTasks;
