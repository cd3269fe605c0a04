/** One line of `earshot decode` output, and how a DecodeResult becomes one. */
import type { DecodeResult } from '../../shared/domain/decode';

export interface ResultLine {
  audio: string;
  text?: string;
  hyp: string;
  nbest: { text: string; score: number; acoustic_score: number; bias_score: number }[];
  tokens: { symbol: string; id: number; frame: number; time_s: number }[];
  lattice_bytes: number;
  audio_bytes: number;
  decode_s: number;
  duration_s: number;
  context?: string[];
  /** What the audio reader mended to decode it (see DecodeResult.repairs). */
  repairs?: string[];
  /** Set instead of a hypothesis when this input could not be decoded. */
  error?: string;
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

export function toResultLine(audio: string, text: string | undefined, context: string[] | undefined, result: DecodeResult): ResultLine {
  return {
    audio,
    ...(text !== undefined ? { text } : {}),
    hyp: result.hyp,
    nbest: result.nbest.map((h) => ({ text: h.text, score: r4(h.score), acoustic_score: r4(h.acousticScore), bias_score: r4(h.biasScore) })),
    tokens: (result.nbest[0]?.tokens ?? []).map((t) => ({ symbol: t.symbol, id: t.id, frame: t.frame, time_s: r4(t.timeS) })),
    lattice_bytes: result.stats.latticeBytes,
    audio_bytes: result.stats.audioBytes,
    decode_s: r4(result.stats.decodeS),
    duration_s: r4(result.stats.durationS),
    ...(context && context.length > 0 ? { context } : {}),
    ...(result.repairs && result.repairs.length > 0 ? { repairs: result.repairs } : {}),
  };
}

/** The line of an utterance that could not be decoded; its id keeps a resumed run from retrying it twice. */
export function failedLine(id: string, audio: string, text: string | undefined, error: string): ResultLine & { id: string } {
  return { id, audio, ...(text !== undefined ? { text } : {}), hyp: '', nbest: [], tokens: [], lattice_bytes: 0, audio_bytes: 0, decode_s: 0, duration_s: 0, error };
}
