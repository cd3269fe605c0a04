/** One line of `earshot decode` output, and how a DecodeResult becomes one. */
import { bandwidthOf, type DecodeResult } from '../../shared/domain/decode';
import { oracleErrors } from '../lattice/oracle';

export interface ResultLine {
  audio: string;
  text?: string;
  hyp: string;
  /** token_lm_score: the first pass's token-LM fusion terms, when it fused one (score = acoustic + bias + it). */
  nbest: { text: string; score: number; acoustic_score: number; bias_score: number; token_lm_score?: number }[];
  tokens: { symbol: string; id: number; frame: number; time_s: number }[];
  lattice_bytes: number;
  audio_bytes: number;
  /** Arcs of the word lattice, and per second of audio (absent in a failed line). */
  lattice_arcs?: number;
  lattice_arcs_per_s?: number;
  /** What sending it costs: the lattice as SLF and gzipped, the audio as 16-bit PCM and as Opus at a nominal 24 kbit/s. */
  bandwidth?: { lattice_slf_bytes: number; lattice_gz_bytes: number | null; pcm16_bytes: number; opus24k_bytes: number };
  /** With a reference: its words and the fewest errors of an n-best entry and of a lattice path. */
  oracle?: { words: number; nbest_errors: number; lattice_errors: number };
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
  const bandwidth = bandwidthOf(result);
  const oracle = text === undefined ? undefined : oracleErrors(text, result.nbest.map((h) => h.text), result.lattice);
  return {
    audio,
    ...(text !== undefined ? { text } : {}),
    hyp: result.hyp,
    nbest: result.nbest.map((h) => ({
      text: h.text,
      score: r4(h.score),
      acoustic_score: r4(h.acousticScore),
      bias_score: r4(h.biasScore),
      ...(h.lmScore !== undefined ? { token_lm_score: r4(h.lmScore) } : {}),
    })),
    tokens: (result.nbest[0]?.tokens ?? []).map((t) => ({ symbol: t.symbol, id: t.id, frame: t.frame, time_s: r4(t.timeS) })),
    lattice_bytes: result.stats.latticeBytes,
    audio_bytes: result.stats.audioBytes,
    lattice_arcs: result.lattice.arcs.length,
    lattice_arcs_per_s: r4(bandwidth.arcsPerS),
    bandwidth: { lattice_slf_bytes: bandwidth.latticeBytes, lattice_gz_bytes: bandwidth.latticeGzBytes, pcm16_bytes: bandwidth.pcm16Bytes, opus24k_bytes: bandwidth.opus24kBytes },
    ...(oracle ? { oracle: { words: oracle.words, nbest_errors: oracle.nbestErrors, lattice_errors: oracle.latticeErrors } } : {}),
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
