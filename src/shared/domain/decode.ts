/**
 * What one streaming decode produces. Plain data: it crosses the API contract as JSON,
 * so per-frame values are parallel arrays (index = encoder frame), never objects per frame.
 */

/** One emitted (non-blank) token of a hypothesis. */
export interface TokenEmission {
  /** Vocabulary id (blank is 0 and is never emitted). */
  id: number;
  /** The symbol from tokens.txt; the word separator `▁` is kept as is. */
  symbol: string;
  /** Encoder frame at which the token was emitted. */
  frame: number;
  /** Start time of that frame in seconds. */
  timeS: number;
  /** log P(token) from the joiner (acoustic + prediction network). */
  logProb: number;
  /** Context-biasing bonus added to this token by shallow fusion (0 when none). */
  biasBonus: number;
}

/** One entry of an n-best list. */
export interface Hypothesis {
  text: string;
  tokens: TokenEmission[];
  /** Total score used for ranking: acousticScore + biasScore (+ lmScore). */
  score: number;
  acousticScore: number;
  biasScore: number;
  /** Σ of the token LM's fusion terms when beam search fused one (absent otherwise). */
  lmScore?: number;
}

/** What had been recognised once a chunk was decoded: the stream of partial results. */
export interface PartialResult {
  chunkIndex: number;
  /** Encoder frames decoded so far. */
  numFrames: number;
  /** Audio time covered so far (s). */
  timeS: number;
  text: string;
}

/** Per-encoder-frame traces that the views and the end-pointers read. */
export interface FrameTrace {
  /** Encoder frame shift in seconds (0.04 for ×4 subsampling of 10 ms frames). */
  frameShiftS: number;
  numFrames: number;
  /** P(blank) at each frame, from the 1-best path's first joiner call there. */
  blankProb: number[];
  /** argmax token id of that call. */
  bestToken: number[];
  /** End-of-query probability from the model's head; empty when the model has none. */
  eoqProb: number[];
  /** Frame log energy (natural log of the mean squared sample over the frame's span). */
  logEnergy: number[];
  /** Non-blank tokens the 1-best emitted at each frame. */
  emitted: number[];
  /** Voice-activity detectors run on the same audio (absent in decodes made before they were). */
  vad?: VadTracks;
}

/**
 * One voice-activity detector's output at its own frame rate: P(speech) per frame (0 or 1
 * for a detector that only decides). Frame i covers [i, i + 1) × frameShiftS.
 */
export interface VadTrack {
  frameShiftS: number;
  speechProb: number[];
}

/** Silero VAD (512-sample windows, 32 ms) and WebRTC VAD (libfvad, mode 3, 30 ms frames). */
export interface VadTracks {
  silero?: VadTrack;
  webrtc?: VadTrack;
}

/** Attention of the model's context-biasing module: rows are frames, columns entries. */
export interface AttentionTrace {
  /** Column labels; column 0 is the learned "no bias" entry. */
  entries: string[];
  numFrames: number;
  /** Row-major numFrames × entries.length weights; each row sums to 1. */
  weights: number[];
}

export interface LatticeNode {
  id: number;
  frame: number;
  timeS: number;
}

export interface LatticeArc {
  from: number;
  to: number;
  word: string;
  startFrame: number;
  endFrame: number;
  acousticScore: number;
  biasScore: number;
  /** Arc posterior from forward-backward over the lattice. */
  posterior: number;
  /** Natural-log language-model score of the word (of the sentence end on a final null arc), set by rescoring. */
  lmScore?: number;
}

/** A word lattice: a DAG from `start` to `end`, nodes in topological (time) order. */
export interface Lattice {
  frameShiftS: number;
  nodes: LatticeNode[];
  arcs: LatticeArc[];
  start: number;
  end: number;
}

export interface DecodeStats {
  /** Wall time of the decode (s). */
  decodeS: number;
  durationS: number;
  /** Size of the lattice serialised as HTK SLF, and of the same audio as 16-bit 16 kHz PCM. */
  latticeBytes: number;
  /** The SLF gzipped (absent in results saved before it was measured). */
  latticeGzBytes?: number;
  audioBytes: number;
}

/**
 * What sending an utterance costs: its lattice (SLF, and gzipped) against the audio as 16-bit
 * 16 kHz PCM and as Opus at 24 kbit/s. The Opus figure is the nominal bitrate × duration, not
 * an encoded file.
 */
export interface Bandwidth {
  latticeBytes: number;
  latticeGzBytes: number | null;
  pcm16Bytes: number;
  opus24kBytes: number;
  /** Lattice arcs per second of audio. */
  arcsPerS: number;
}

export const OPUS_BITS_PER_S = 24_000;

export function bandwidthOf(result: Pick<DecodeResult, 'stats' | 'lattice'>): Bandwidth {
  const { stats } = result;
  return {
    latticeBytes: stats.latticeBytes,
    latticeGzBytes: stats.latticeGzBytes ?? null,
    pcm16Bytes: stats.audioBytes,
    opus24kBytes: Math.round((OPUS_BITS_PER_S / 8) * stats.durationS),
    arcsPerS: stats.durationS > 0 ? result.lattice.arcs.length / stats.durationS : 0,
  };
}

/** A data set's lattice figures (see lattice-totals.ts); ratios are per utterance, then percentiles. */
export interface LatticeTotals {
  utterances: number;
  /** Arcs over seconds of audio, summed over utterances. */
  arcsPerS: number;
  gzToPcmP50: number | null;
  gzToPcmP90: number | null;
  gzToOpusP90: number | null;
  /** Summed over the utterances with a reference; null when none has one. */
  oracle: (OracleErrors & { utterances: number }) | null;
}

/** Word errors of the best path against the reference: of the n-best list, and of the whole lattice. */
export interface OracleErrors {
  /** Reference words. */
  words: number;
  nbestErrors: number;
  latticeErrors: number;
}

export interface DecodeResult {
  hyp: string;
  nbest: Hypothesis[];
  lattice: Lattice;
  trace: FrameTrace;
  partials: PartialResult[];
  /** Present when the model's attention biasing ran with a non-empty list. */
  attention?: AttentionTrace;
  stats: DecodeStats;
  /** What was mended to decode the audio at all (a header that lies, NaN samples, damaged frames). */
  repairs?: string[];
}
