/**
 * Tail padding is how a decode flushes: silence after the input lets the encoder's frames
 * reach past the last word, so the search can emit it. What the search emits in the padding
 * belongs to the input's last frame; results never reach past the audio.
 */
import type { AttentionTrace, Lattice } from '../../shared/domain/decode';
import type { ModelDecoding } from './model-dir';
import type { EmittedToken } from './search-types';

/** The seconds of silence a decode feeds after its input: the request's, else the model's. */
export function tailPaddingOf(options: { tailPaddingS?: number }, decoding: Pick<ModelDecoding, 'tailPaddingS'>): number {
  return options.tailPaddingS ?? decoding.tailPaddingS;
}

/** Tokens with frames at or past `numFrames` moved to the input's last frame. */
export function tokensWithinInput<T extends Pick<EmittedToken, 'frame'>>(tokens: readonly T[], numFrames: number): T[] {
  const last = Math.max(0, numFrames - 1);
  return tokens.map((t) => (t.frame > last ? { ...t, frame: last } : t));
}

/** The lattice with node and arc frames past the input's end moved onto it (its end node sits there already); order is kept. */
export function latticeWithinInput(lattice: Lattice, numFrames: number): Lattice {
  if (!lattice.nodes.some((n) => n.frame > numFrames)) return lattice;
  return {
    ...lattice,
    nodes: lattice.nodes.map((n) => (n.frame > numFrames ? { ...n, frame: numFrames, timeS: numFrames * lattice.frameShiftS } : n)),
    arcs: lattice.arcs.map((a) => (a.endFrame > numFrames ? { ...a, startFrame: Math.min(a.startFrame, numFrames), endFrame: numFrames } : a)),
  };
}

/** The attention map's rows for the input's frames only. */
export function attentionWithinInput(trace: AttentionTrace, numFrames: number): AttentionTrace {
  if (trace.numFrames <= numFrames) return trace;
  return { ...trace, numFrames, weights: trace.weights.slice(0, numFrames * trace.entries.length) };
}
