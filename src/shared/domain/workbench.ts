/** What the workbench views show, as the engine host returns it. */
import type { Bandwidth, DecodeResult, LatticeTotals, OracleErrors } from './decode';
import type { EndpointKnobs, EndpointMetrics, EndpointOutcome } from './endpoint';
import type { Utterance, UtteranceAnnotation } from './session';
import type { WaveformPeaks } from './audio';
import type { ModelProvenance } from './models';

export interface CompressedMatrix {
  name: string;
  shape: number[];
  /** Fraction of exact zeros. */
  sparsity: number;
  /** Counts of the int8 codes −128…127 (256 bins); empty for a float-only model. */
  int8Histogram: number[];
}

/** A loaded model as the views describe it: where from, features, vocabulary, sizes, sparsity. */
export interface ModelInfo {
  dir: string;
  name: string;
  /** `earshot-rnnt` (with model.json) or `sherpa-onnx` (metadata read from the ONNX files). */
  format: string;
  modelType: string;
  variant: string;
  variants: string[];
  vocabSize: number;
  tokens: string[];
  features: Record<string, number | string | boolean>;
  chunk: { T: number; decodeChunkLen: number; subsampling: number; frameShiftS: number };
  hasAttentionBias: boolean;
  hasEndOfQuery: boolean;
  /** The model's own end-of-query threshold for the final end-pointer (model.json `eoq.default_threshold`), null without one. */
  eoqThreshold: number | null;
  /**
   * Search settings the model decodes with unless a request sets its own; `lm`, the token LM that
   * beam search fuses (model.json `decode.lm`: its file in the folder, weight and per-token bonus), absent without one.
   */
  decoding: { maxSymbolsPerFrame: number; fusionBoost: number; tailPaddingS: number; lm?: { file: string; weight: number; tokenBonus: number } };
  /** File sizes and totals in bytes (fp32_total, int8_total, int8_sparse_compressed_total). */
  sizes: Record<string, number>;
  sparsityOverall: number | null;
  compression: CompressedMatrix[];
  /** Training report numbers (WER in %, rates as fractions), when the model ships them. */
  metrics: Record<string, number>;
}

/** Waveform peaks in the form wavesurfer.js takes (see WaveformPeaks), for one path. */
export interface PeaksData extends WaveformPeaks {
  path: string;
  /** Values per second of audio: sampleRate / samplesPerPeak. */
  peaksPerSecond: number;
}

/** Log-mel filterbank frames (natural log), row-major frames × bins. */
export interface SpectrogramData {
  startS: number;
  frameShiftS: number;
  numFrames: number;
  numBins: number;
  values: number[];
}

export interface DatasetSummary {
  id: string;
  /** What the workbench calls it: the folder's or the manifest's name. */
  name: string;
  /** The folder or file the user opened. */
  source: string;
  /** The folder that holds it: where the Recordings view lists audio files. */
  folder: string;
  /** How it was read: folder, earshot-manifest, nemo, kaldi, librispeech, sidecars. */
  kind: string;
  utterances: Utterance[];
  /**
   * A session autosaved for this data set by an earlier run that ended without a save (a crash,
   * a closed window): open it with openSession to get its annotations back.
   */
  autosave?: string;
  /** When the autosave was last written: the same file and time are the same unsaved work. */
  autosaveAt?: string;
}

export interface EndpointKnobsPair {
  speculative: EndpointKnobs;
  final: EndpointKnobs;
}

/** Word-level alignment counts of a hypothesis against a reference. */
export interface WordErrorCounts {
  referenceWords: number;
  hypothesisWords: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  /** substitutions + deletions + insertions. */
  errors: number;
}

export interface WordErrors extends WordErrorCounts {
  /** errors / referenceWords; null when the reference is empty. */
  wer: number | null;
}

/** Everything the utterance workspace shows for one utterance. */
export interface UtteranceAnalysis {
  utterance: Utterance;
  durationS: number;
  decode: DecodeResult;
  errors: WordErrors | null;
  /** Oracle errors of the n-best and the lattice against the same reference; null without one. */
  oracle?: OracleErrors | null;
  endpoints: EndpointOutcome;
  knobs: EndpointKnobsPair;
  /** Which model and settings made the decode; absent only in sessions saved before models were recorded. */
  model?: ModelProvenance;
}

/** One row of the data-set sidebar. */
export interface UtteranceSummary {
  id: string;
  durationS: number;
  text?: string;
  hyp: string;
  errors: WordErrors | null;
  oracle?: OracleErrors | null;
  /** The lattice's size and what sending it costs against the audio. */
  bandwidth?: Bandwidth;
  endpoints: EndpointOutcome;
  /**
   * Present when annotations changed the reference: the same utterance scored against the
   * data set's own transcript and end, so views can show what the annotation changed.
   */
  unannotated?: { errors: WordErrors | null; finalLatencyS: number | null };
  /** What the audio reader mended (DecodeResult.repairs), for a mark in the list. */
  repairs?: string[];
}

export interface DatasetAnalysis {
  datasetId: string;
  utterances: UtteranceSummary[];
  /** Corpus WER over utterances with a reference; null without any. */
  wer: number | null;
  endpointMetrics: EndpointMetrics;
  /** Lattice density, bandwidth and oracle error rates over the data set. */
  lattice?: LatticeTotals;
  decodeS: number;
  /** Which model and settings decoded the data set. */
  model?: ModelProvenance;
}

export interface EndpointEvaluation {
  outcomes: EndpointOutcome[];
  metrics: EndpointMetrics;
}

/** A recording of a session whose audio is gone from its path, or changed. */
export interface MissingRecording {
  recordingId: string;
  path: string;
  reason: 'missing' | 'changed';
}

/** A reopened session: everything the workbench showed when it was saved. */
export interface OpenedSessionView {
  path: string;
  dataset: DatasetSummary;
  analysis: DatasetAnalysis;
  annotations: Record<string, UtteranceAnnotation>;
  view: Record<string, unknown>;
  knobs: EndpointKnobsPair;
  missingAudio: MissingRecording[];
  /** Unsaved annotations recovered from the journal after a crash. */
  recovered: number;
  /** The schema version it was upgraded from, if it was older. */
  migratedFrom: number | null;
}
