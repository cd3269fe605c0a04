/**
 * What a session holds: the data that crosses the API contract between the engine, the CLI
 * and the workbench. Plain types only; the engine validates files against a zod schema
 * (src/engine/session/session-schema.ts) whose output type a test asserts is assignable
 * to these.
 */
import type { DecodeResult } from './decode';
import type { EndpointEvent } from './endpoint';

/**
 * One item to recognise, as an importer produces it. `startS`/`endS` are seconds in the audio
 * file; every other time of an utterance (speech start/end, marked end, end-pointer times,
 * decode times) is seconds from the utterance's start (`startS`, or 0).
 */
export interface Utterance {
  id: string;
  /** Absolute path of the audio file. */
  audio: string;
  /** Segment of the file (Kaldi `segments`, NeMo `offset`); absent = from the start / to the end. */
  startS?: number;
  endS?: number;
  /** Duration the data set states (NeMo `duration`), not measured. */
  durationS?: number;
  /** Reference transcript. */
  text?: string;
  /** Names of the context (biasing) lists that apply to this utterance. */
  context?: string[];
  /** Reference start and end of speech, when the data set marks them. */
  speechStartS?: number;
  speechEndS?: number;
  /**
   * Labelled speech segments [start, end] (s), where the data set has them; an empty list marks
   * audio with no speech at all (an end-pointer must not fire on it).
   */
  speechSegments?: Array<[number, number]>;
}

/** One audio file of the session. `sha256` identifies it when it moves. */
export interface SessionRecording {
  id: string;
  /** Absolute, or relative to the session file's folder (bundles). */
  path: string;
  sha256: string;
  durationS: number;
}

/** A named list of phrases for context biasing. */
export interface ContextList {
  name: string;
  entries: string[];
}

export interface ModelRef {
  id: string;
  /** Decoder and model settings as the runtime reports them. */
  config: Record<string, unknown>;
  /** The model's folder and its content hash (sessions written before models were recorded lack them). */
  dir?: string;
  sha256?: string;
}

/** What one end-pointer decided for one utterance. */
export interface EndpointRecord {
  detector: string;
  /** When it declared the end of speech (s from the start of the utterance's audio); null: never. */
  endS: number | null;
  events: EndpointEvent[];
}

/** The decode of an utterance: inline, or a key into the result cache when it is large. */
export type ResultRecord = { kind: 'inline'; decode: DecodeResult } | { kind: 'cache'; key: string };

export interface SessionUtterance {
  id: string;
  recordingId: string;
  startS?: number;
  endS?: number;
  /** Reference transcript from the data set (annotations may override it for metrics). */
  text?: string;
  context?: string[];
  speechStartS?: number;
  speechEndS?: number;
  speechSegments?: Array<[number, number]>;
  result?: ResultRecord;
  /** Why there is no result: the audio could not be decoded (set by `earshot analyze`). */
  error?: string;
  endpoints: EndpointRecord[];
}

export const ANNOTATION_FLAGS = ['bad-cutoff', 'late-endpoint', 'bad-reference', 'bad-audio'] as const;
export type AnnotationFlag = (typeof ANNOTATION_FLAGS)[number];

/** Everything a researcher marked on one utterance. */
export interface UtteranceAnnotation {
  /** Replaces the reference text when computing WER. */
  correctedText?: string;
  /** True end of speech (s); replaces the reference end when computing latency. */
  trueEndS?: number;
  tags: string[];
  notes: string;
  flags: AnnotationFlag[];
}

/** A change to one utterance's annotation; `null` clears an optional field. */
export interface AnnotationPatch {
  correctedText?: string | null;
  trueEndS?: number | null;
  tags?: string[];
  notes?: string;
  flags?: AnnotationFlag[];
}

/** Search settings of a run, as `decodeOptionsSchema` takes them less the context list. */
export interface RunDecoding {
  beam: number;
  maxSymbolsPerFrame?: number;
  fusionBoost?: number;
  shallowFusion: boolean;
  attentionBias: boolean;
  /** Token-LM fusion weight (0: off) and per-token bonus; absent, the model's. */
  lmWeight?: number;
  lmBonus?: number;
  /** Silence after each utterance's end (s); absent, the model's. */
  tailPaddingS?: number;
  variant: 'int8' | 'fp32';
}

/**
 * Which biasing lists a run used: `per-utterance`, each utterance's own names from the data set
 * plus `entries`; `list`, `entries` alone for every utterance.
 */
export interface RunContext {
  mode: 'per-utterance' | 'list';
  entries: Array<{ phrase: string; boost?: number }>;
}

/**
 * A data set analysed once with one model and one set of settings. The selected run's decodes
 * are the utterances' `result`s; every other run keeps its own in `results`.
 */
export interface SessionRun {
  id: string;
  name: string;
  createdAt: string;
  model: ModelRef;
  decoding: RunDecoding;
  context: RunContext;
  /** The end-pointer pair it was decoded with (as `endpointConfig`). */
  endpoints: Record<string, unknown>;
  results: Record<string, ResultRecord>;
  /** Utterances it could not decode, and why. */
  errors: Record<string, string>;
}

export interface Session {
  format: 'earshot-session';
  /** The current file version (SESSION_VERSION in the engine); older files are migrated on load. */
  version: 3;
  id: string;
  createdAt: string;
  updatedAt: string;
  /** Highest recovery-journal sequence number whose edit this file already contains. */
  journalSeq: number;
  model: ModelRef;
  contextLists: ContextList[];
  /** End-pointer settings as the end-pointer module defines them. */
  endpointConfig: Record<string, unknown> | null;
  recordings: SessionRecording[];
  utterances: SessionUtterance[];
  /** Keyed by utterance id. */
  annotations: Record<string, UtteranceAnnotation>;
  /** What the workbench showed (selection, zoom, open panels), restored as is on reopen. */
  view: Record<string, unknown>;
  /** The runs of the data set, oldest first. */
  runs: SessionRun[];
  /** The run whose decodes `utterances` hold; null before any. */
  selectedRun: string | null;
}

/** The reference that metrics use once annotations are applied, and where each part came from. */
export interface MetricReference {
  text: string | undefined;
  textSource: 'corrected' | 'dataset' | 'none';
  speechEndS: number | undefined;
  endSource: 'marked' | 'dataset' | 'none';
}
