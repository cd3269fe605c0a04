/**
 * The API contract between the renderer and the engine. Each method has a schema that
 * validates its params at the boundary (the host runs it on every request) and a result
 * type. The renderer imports only src/shared, never engine code.
 */
import { z } from 'zod';
import type { RecordingInfo } from './domain/audio';
import type { JobEvent } from './protocol';
import { ANNOTATION_FLAGS, type Utterance, type UtteranceAnnotation } from './domain/session';
import type { MissingRecording, OpenedSessionView, UtteranceSummary, ModelInfo, PeaksData, SpectrogramData, UtteranceAnalysis, DatasetAnalysis, DatasetSummary, EndpointEvaluation } from './domain/workbench';
import type { SweepResult } from './domain/endpoint';
import type { CatalogListing, ModelListing } from './domain/models';
import { liveAudioSchema, liveSampleRateSchema, liveSessionIdSchema, liveStopSchema, type LiveSessionResult } from './live';
import type { RunComparison, RunList } from './domain/runs';
import type { CloudRescoring } from './domain/rescore';

const path = z.string().min(1, 'a path is required').max(4096, 'the path is too long');
/** A model's folder name in a models folder: nothing a path could escape with. */
export const modelNameSchema = z
  .string()
  .min(1, 'a model name is required')
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a model name has only letters, digits, ".", "_" and "-", and starts with a letter or digit');
const seconds = z.number().finite().min(0, 'must not be negative').max(86_400, 'is longer than a day');

/** What the researcher calls a run. */
export const runNameSchema = z.string().trim().min(1, 'a run needs a name').max(200, 'the name is too long');

/** Shallow-fusion bonus per matched token. */
export const fusionBoostSchema = z.number().finite().min(0).max(20);
/** Tokens one search path may emit per encoder frame. */
export const maxSymbolsPerFrameSchema = z.number().int().min(1).max(10);
/** Nats below the best expansion of its round a word end may score and still become a lattice arc. */
export const latticeBeamSchema = z.number().finite().min(0).max(100);
export const DEFAULT_LATTICE_BEAM = 8;
/**
 * How shallow fusion matches a list: `sherpa` as sherpa-onnx's hotwords (anywhere in the token
 * stream, the bonus added after the beam's selection); `words` whole words only, the bonus
 * counted in the selection (engine/bias/context-graph.ts, engine/asr/modified-beam-search.ts).
 */
export const fusionStyleSchema = z.enum(['sherpa', 'words']);
export type FusionStyle = z.infer<typeof fusionStyleSchema>;
/** Shallow fusion with the model's token LM (engine/lm/token-lm.ts): the weight of ln P_LM, 0 = off. */
export const lmWeightSchema = z.number().finite().min(0).max(10);
/** Added per emitted token while fusing the LM, against its preference for short paths. */
export const lmBonusSchema = z.number().finite().min(-10).max(10);
/**
 * Seconds of silence fed after the input ends, so the encoder's frames reach past the last
 * word and the search can emit it (sherpa-onnx's file tools pad 0.66–0.8 s). Results still
 * cover the input only.
 */
export const tailPaddingSchema = z.number().finite().min(0).max(2);
/** How sherpa-onnx searches, and so how a model decodes that does not say otherwise. */
export const SHERPA_DECODING = { maxSymbolsPerFrame: 1, fusionBoost: 1.5, fusion: 'sherpa' } as const;

/** A context (biasing) entry: the phrase and an optional boost for shallow fusion. */
export const contextEntrySchema = z.object({
  phrase: z.string().trim().min(1, 'an empty phrase').max(200),
  boost: fusionBoostSchema.optional(),
});

export const decodeOptionsSchema = z.object({
  /** 1 = greedy search; more = modified beam search with this beam. */
  beam: z.number().int().min(1).max(16).default(4),
  /** Tokens per encoder frame; unset, the model's own setting (model.json `decode`), else 1. */
  maxSymbolsPerFrame: maxSymbolsPerFrameSchema.optional(),
  shallowFusion: z.boolean().default(true),
  /** Shallow-fusion bonus per matched token for entries without their own; unset, the model's, else sherpa-onnx's 1.5. */
  fusionBoost: fusionBoostSchema.optional(),
  /** How fusion matches the list; unset, the model's (model.json `decode.fusion`), else `words` for Earshot models and `sherpa` for sherpa-onnx folders. */
  fusion: fusionStyleSchema.optional(),
  attentionBias: z.boolean().default(true),
  /** Beam search only: token-LM fusion weight and per-token bonus; unset, the model's (model.json `decode.lm`), else no LM. */
  lmWeight: lmWeightSchema.optional(),
  lmBonus: lmBonusSchema.optional(),
  /** Silence after the input's end (s); unset, the model's (model.json `decode.tail_padding_s`), else none. */
  tailPaddingS: tailPaddingSchema.optional(),
  /** Beam search only: how dense the word lattice is; it never changes the hypotheses. */
  latticeBeam: latticeBeamSchema.default(DEFAULT_LATTICE_BEAM),
  context: z.array(contextEntrySchema).max(1000).default([]),
  variant: z.enum(['int8', 'fp32']).default('int8'),
});

export const endpointKnobsSchema = z
  .object({
    eoqThreshold: z.number().min(0).max(1).nullable(),
    eoqFrames: z.number().int().min(1).max(100),
    eoqMinTrailingSilenceS: seconds,
    minTrailingSilenceS: seconds.refine((v) => v > 0, 'must be above 0 s: a trailing-silence rule of 0 s fires on every frame'),
    maxUtteranceS: seconds.refine((v) => v > 0, 'must be above 0 s'),
    nonSpeech: z.enum(['blank', 'energy', 'blank-and-energy', 'vad']),
    energyFloorDb: z.number().min(0).max(120),
  })
  .strict();

export const endpointPairSchema = z.object({ speculative: endpointKnobsSchema, final: endpointKnobsSchema }).strict();

export const utteranceSchema = z
  .object({
    id: z.string().min(1).max(500),
    audio: path,
    startS: seconds.optional(),
    endS: seconds.optional(),
    durationS: seconds.optional(),
    text: z.string().max(10_000).optional(),
    context: z.array(z.string().max(200)).max(1000).optional(),
    speechStartS: seconds.optional(),
    speechEndS: seconds.optional(),
    speechSegments: z.array(z.tuple([seconds, seconds])).max(10_000).optional(),
  })
  .strict()
  .refine((u) => u.startS === undefined || u.endS === undefined || u.endS > u.startS, 'endS must come after startS');

export const apiParams = {
  ping: z.object({}).strict(),
  getDefaults: z.object({}).strict(),
  /** The data set's recordings: `files` (its audio, wherever it sits below the folder), else the folder's audio files. */
  listRecordings: z.object({ folder: path, files: z.array(path).max(100_000).optional() }).strict(),
  /** One folder for the browser shell's folder browser; only below the roots the user allowed. Absent: the first root. */
  browseFolder: z.object({ path: path.optional() }).strict(),
  /** Deliberately slow CPU work in the engine: proves a slow request never blocks others. */
  busyWait: z.object({ ms: z.number().int().min(0).max(10_000) }).strict(),
  getModelInfo: z.object({ modelDir: path.optional() }).strict(),
  /** The models of the user's models folder and resources/models, with the model the run started with. */
  listModels: z.object({}).strict(),
  /** The catalog of published models, each marked installed or not. */
  listCatalog: z.object({}).strict(),
  /** Downloads a catalog model into the user's models folder (progress events; cancel keeps the bytes to resume). */
  pullModel: z.object({ name: modelNameSchema }).strict(),
  /** Deletes a model the user downloaded (shipped models cannot be removed). */
  removeModel: z.object({ name: modelNameSchema }).strict(),
  /** Waveform peaks for wavesurfer.js, computed in one streaming pass and cached. */
  getPeaks: z.object({ path, peaksPerSecond: z.number().int().min(1).max(8000).default(100) }).strict(),
  /** Log-mel filterbank (the model's own features) of a span, for the spectrogram view. */
  getSpectrogram: z
    .object({ path, startS: seconds.default(0), endS: seconds.optional(), maxFrames: z.number().int().min(1).max(200_000).default(30_000) })
    .strict(),
  /** Serialises a lattice for export from the lattice view. */
  formatLattice: z.object({ lattice: z.record(z.string(), z.unknown()), format: z.enum(['slf', 'openfst', 'json']) }).strict(),
  /** Rescores a lattice and its n-best with the cloud language model found in the models folders. */
  rescoreLattice: z
    .object({
      lattice: z.record(z.string(), z.unknown()),
      nbest: z.array(z.object({ text: z.string().max(10_000), acousticScore: z.number().finite(), biasScore: z.number().finite() }).strict()).max(1000),
    })
    .strict(),
  /** Opens a folder, an Earshot/NeMo manifest, a Kaldi data dir or a LibriSpeech tree. */
  openDataset: z.object({ path }).strict(),
  /** Decodes one utterance with its traces, lattice, attention and both end-pointers. */
  analyzeUtterance: z
    .object({ utterance: utteranceSchema, modelDir: path.optional(), decoding: decodeOptionsSchema.default(decodeOptionsSchema.parse({})), endpoints: endpointPairSchema.optional() })
    .strict(),
  /**
   * Decodes a whole opened data set in the worker pool; results stay in the host for sweeps. It
   * becomes a run of the session (`runName`, else "run N"), selected; the same settings again
   * replace that run's results. `contextMode` 'list': `decoding.context` alone for every
   * utterance; 'per-utterance': each utterance's own names from the data set too.
   */
  analyzeDataset: z
    .object({
      datasetId: z.string().min(1),
      modelDir: path.optional(),
      decoding: decodeOptionsSchema.default(decodeOptionsSchema.parse({})),
      endpoints: endpointPairSchema.optional(),
      runName: runNameSchema.optional(),
      contextMode: z.enum(['per-utterance', 'list']).default('per-utterance'),
    })
    .strict(),
  /** The runs of the session in hand. */
  listRuns: z.object({}).strict(),
  /** Makes a run the one the sidebar, the summary and the tuning panel show (its end-pointers become the session's). */
  selectRun: z.object({ runId: z.string().min(1) }).strict(),
  renameRun: z.object({ runId: z.string().min(1), name: runNameSchema }).strict(),
  /** Deletes a run that is not the selected one. */
  deleteRun: z.object({ runId: z.string().min(1) }).strict(),
  /** A/B of two runs over the utterances both decoded: per-utterance rows, paired bootstrap intervals, Pareto fronts. */
  compareRuns: z
    .object({
      runA: z.string().min(1),
      runB: z.string().min(1),
      resamples: z.number().int().min(100).max(100_000).default(10_000),
      seed: z.number().int().min(0).max(0xffffffff).default(1),
    })
    .strict(),
  /** The cached analysis of one utterance of an analysed data set (no re-decoding). */
  getUtteranceAnalysis: z.object({ datasetId: z.string().min(1), utteranceId: z.string().min(1) }).strict(),
  /** Opens a session file: its data set, results, annotations and view come back as saved. */
  openSession: z.object({ path }).strict(),
  /** Saves the current session (atomically); `path` the first time, or to save elsewhere. */
  saveSession: z.object({ path: path.optional(), view: z.record(z.string(), z.unknown()).optional() }).strict(),
  /** Annotates an utterance of the current session; journaled at once, saved with the session. */
  annotate: z
    .object({
      utteranceId: z.string().min(1),
      patch: z
        .object({
          correctedText: z.string().max(10_000).nullable().optional(),
          trueEndS: seconds.nullable().optional(),
          tags: z.array(z.string().min(1).max(100)).max(100).optional(),
          notes: z.string().max(100_000).optional(),
          flags: z.array(z.enum(ANNOTATION_FLAGS)).optional(),
        })
        .strict(),
    })
    .strict(),
  /** Writes the current session in a researcher's format into a folder. */
  exportSession: z.object({ format: z.enum(['textgrid', 'audacity', 'ctm', 'csv', 'slf', 'nemo', 'bundle']), outDir: path, includeAudio: z.boolean().default(false) }).strict(),
  /** Re-links recordings of the current session that moved, by content hash, from a folder. */
  relinkAudio: z.object({ folder: path }).strict(),
  /** The tuned knobs become the session's: annotations are re-scored and saved with them. */
  applyEndpoints: z.object({ endpoints: endpointPairSchema }).strict(),
  /** Re-scores both end-pointers over an analysed data set from its cached traces. */
  evaluateEndpoints: z
    .object({
      datasetId: z.string().min(1),
      endpoints: endpointPairSchema,
      /**
       * Only these utterances' outcomes come back (the metrics still cover all); all when absent.
       * While a threshold is dragged over thousands of utterances the tuning panel needs the
       * metrics and the open utterance's outcome, not a megabyte of outcomes per move.
       */
      outcomeIds: z.array(z.string().min(1)).max(100_000).optional(),
    })
    .strict(),
  /** Sweeps end-pointer parameters over an analysed data set: Pareto front and a recommended pair. */
  sweepEndpoints: z
    .object({
      datasetId: z.string().min(1),
      finalCutoffBudget: z.number().min(0).max(1).default(0.01),
      speculativeCutoffBudget: z.number().min(0).max(1).default(0.05),
      noFireBudget: z.number().min(0).max(1).default(0.01),
      /** The speculative end-pointer's p50 must lead the final's by at least this (s). */
      speculativeLeadS: z.number().min(0).max(5).default(0.15),
    })
    .strict(),
  /**
   * Listens to the microphone: decodes the audio `liveAudio` streams to it, sends the partial
   * hypothesis, end-of-query and end-pointer events after every chunk (events `liveEventSchema`),
   * and saves each utterance the final end-pointer closes in the live data set. Answers once stopped.
   */
  liveStart: z
    .object({
      sessionId: liveSessionIdSchema,
      sampleRate: liveSampleRateSchema,
      modelDir: path.optional(),
      decoding: decodeOptionsSchema.default(decodeOptionsSchema.parse({})),
      endpoints: endpointPairSchema.optional(),
    })
    .strict(),
  /** The next piece of a live session's audio. */
  liveAudio: liveAudioSchema,
  /** Ends a live session: the utterance in progress is decoded to its end and saved if anything was said. */
  liveStop: liveStopSchema,
} as const;

export interface AppDefaults {
  /** The folder of demo recordings the app opens on first start. */
  demoFolder: string;
  /** The model decoded with unless the user picks another. */
  modelDir: string;
  /** Where sessions and exports are suggested to go: the user's documents folder, never the app's resources. */
  documentsDir: string;
  /** The live microphone's data set (a manifest.jsonl and WAVs) in the user's data folder. */
  liveDir: string;
}

/** One entry of a browsed folder; `kind` says what the workbench can do with it. */
export interface BrowseEntry {
  name: string;
  path: string;
  kind: 'folder' | 'manifest' | 'session' | 'audio' | 'other';
}

export interface FolderListing {
  path: string;
  name: string;
  /** The folder above, while it is still inside a root; null at a root. */
  parent: string | null;
  roots: string[];
  entries: BrowseEntry[];
  truncated: boolean;
}

export interface ApiResults {
  ping: { time: number };
  getDefaults: AppDefaults;
  listRecordings: RecordingList;
  browseFolder: FolderListing;
  applyEndpoints: { knobs: EndpointPair };
  busyWait: { ms: number };
  getModelInfo: ModelInfo;
  listModels: { models: ModelListing[]; userDir: string; startDir: string };
  listCatalog: { models: CatalogListing[] };
  pullModel: { listing: ModelListing; sha256: string; bytes: number; recordedHash: boolean; warning?: string };
  removeModel: { removed: string };
  getPeaks: PeaksData;
  getSpectrogram: SpectrogramData;
  formatLattice: { text: string; mimeType: string; extension: string };
  rescoreLattice: CloudRescoring;
  openDataset: DatasetSummary;
  analyzeUtterance: UtteranceAnalysis;
  analyzeDataset: DatasetAnalysis;
  listRuns: RunList;
  selectRun: { analysis: DatasetAnalysis; knobs: EndpointPair; runs: RunList };
  renameRun: RunList;
  deleteRun: RunList;
  compareRuns: RunComparison;
  evaluateEndpoints: EndpointEvaluation;
  sweepEndpoints: SweepResult;
  getUtteranceAnalysis: UtteranceAnalysis;
  openSession: OpenedSessionView;
  saveSession: { path: string; savedAt: string };
  /** `file`: the session file the annotation was journaled into (the data set's autosave until the session has a file). */
  annotate: { annotation: UtteranceAnnotation; summary: UtteranceSummary; file: string };
  exportSession: { files: string[] };
  relinkAudio: { relinked: number; stillMissing: MissingRecording[] };
  liveStart: LiveSessionResult;
  liveAudio: { samples: number };
  liveStop: { stopped: boolean };
}

export type DecodeOptions = z.output<typeof decodeOptionsSchema>;
export type ContextEntry = z.output<typeof contextEntrySchema>;
export type EndpointPair = z.output<typeof endpointPairSchema>;
export type { Utterance };

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
