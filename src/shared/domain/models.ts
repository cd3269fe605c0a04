/** The models a workbench can decode with: installed folders, the published catalog, and provenance. */

/** What a models folder shows about one installed model. */
export interface ModelListing {
  dir: string;
  /** The folder's name: what `earshot models remove NAME` and the picker call it. */
  name: string;
  /** `user`: the user's models folder (removable); `shipped`: resources/models; `given`: `--model DIR` elsewhere. */
  source: 'user' | 'shipped' | 'given';
  /** Bytes of every file below the folder. */
  sizeBytes: number;
  /** Present when the folder loads as a model. */
  summary?: ModelSummary;
  /** Why the folder does not load, when it does not. */
  problem?: string;
}

export interface ModelSummary {
  /** Name the model gives itself (model.json `name`, else the folder's). */
  name: string;
  /** `earshot-rnnt` (with model.json) or `sherpa-onnx`. */
  format: string;
  /** The encoder's `model_type`: lstm, zipformer2, … */
  modelType: string;
  variants: string[];
  vocabSize: number;
  /** Encoder frames decoded per chunk × seconds per frame. */
  chunkMs: number;
  /** fbank frames per encoder call and the advance between calls. */
  chunk: { T: number; decodeChunkLen: number };
  features: Record<string, number | string | boolean>;
  /** Earshot models only: fraction of exact zeros over the compressed weights; null when the model does not say. */
  sparsity: number | null;
  /** Earshot models only: the attention-biasing module and the end-of-query head; null for other formats. */
  biasing: { attention: boolean; endOfQuery: boolean } | null;
  /** The threshold its final end-pointer's end-of-query rule uses (model.json `eoq.default_threshold`), absent without one. */
  eoqThreshold?: number;
  /** The token LM beam search fuses by default (model.json `decode.lm`), absent without one. */
  lm?: { weight: number; tokenBonus: number };
}

/** A published model the catalog can download. */
export interface CatalogEntry {
  name: string;
  /** The archive's file name under the catalog's base URL. */
  archive: string;
  /** Bytes of the archive; null where the publisher states none (then `sizeNote` says what is known). */
  archiveBytes: number | null;
  sizeNote?: string;
  licence: string | null;
  licenceNote?: string;
  /** sherpa-onnx `model_type` of the encoder; null where not confirmed. */
  modelType: string | null;
  languages: string[];
  /** Where the facts above come from. */
  source: string;
  notes?: string;
}

/** A catalog entry with where it would download from and whether it is installed. */
export interface CatalogListing extends CatalogEntry {
  url: string;
  installed: boolean;
  /** Whether Earshot's runtime decodes this model type. */
  supported: boolean;
}

/** A download in progress: bytes while downloading, files while extracting. */
export interface PullProgress {
  phase: 'download' | 'verify' | 'extract';
  done: number;
  total: number;
}

/** Search settings as a decode used them, with the model's own defaults filled in. */
export interface DecodeSettings {
  beam: number;
  maxSymbolsPerFrame: number;
  fusionBoost: number;
  /** How fusion matched the list (words or sherpa); absent in results saved before it was a setting. */
  fusion?: string;
  shallowFusion: boolean;
  attentionBias: boolean;
  /** Absent in results saved before lattices had a beam of their own. */
  latticeBeam?: number;
  /** The token LM's fusion weight (0: not fused) and per-token bonus; absent for a model without an LM and in older results. */
  lmWeight?: number;
  lmBonus?: number;
  /** Silence fed after the input (s); absent in results saved before it was a setting. */
  tailPaddingS?: number;
  variant: string;
  /** Biasing-list entries the decode had. */
  contextEntries: number;
}

/** Which model (folder and content hash) and which settings made a result. */
export interface ModelProvenance {
  name: string;
  dir: string;
  /** sha256 over the folder's files (names and contents). */
  sha256: string;
  decoding: DecodeSettings;
}
