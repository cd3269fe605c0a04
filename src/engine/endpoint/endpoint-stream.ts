import type { FrameTrace, PartialResult, TokenEmission } from '../../shared/domain/decode';

/** What the end-pointers read of one decoded stream. */
export interface EndpointStream {
  id: string;
  trace: FrameTrace;
  /** Partial results per decoded chunk; they set when a decision becomes available. */
  partials: PartialResult[];
  /** The 1-best's emissions with their frames (from `nbest[0].tokens`); may be empty. */
  tokens: TokenEmission[];
  /** The full final hypothesis. */
  text: string;
}

/** Joins sentencepiece symbols: `▁` starts a word. */
export function detokenize(tokens: readonly TokenEmission[], uptoFrame = Infinity): string {
  let text = '';
  for (const token of tokens) {
    if (token.frame > uptoFrame) break;
    text += token.symbol;
  }
  return text.replace(/▁/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The hypothesis once frames 0..frame were decoded. Emissions give it exactly; without them,
 * the last partial that covered no more than that many frames (what a client had seen);
 * with neither, only the full text is known.
 */
export function hypothesisAt(stream: EndpointStream, frame: number): string {
  if (stream.tokens.length > 0) return detokenize(stream.tokens, frame);
  if (stream.partials.length === 0) return stream.text;
  let text = '';
  for (const partial of stream.partials) {
    if (partial.numFrames > frame + 1) break;
    text = partial.text;
  }
  return text;
}

/**
 * When a decision at `frame` is available: the encoder hands frames over a chunk at a time,
 * so it is the end of the chunk holding the frame; without partials, the end of the frame.
 */
export function decisionTimeS(stream: EndpointStream, frame: number): number {
  for (const partial of stream.partials) {
    if (partial.numFrames > frame) return partial.timeS;
  }
  return (frame + 1) * stream.trace.frameShiftS;
}

/** End of the decoded audio (s). */
export function streamEndS(stream: EndpointStream): number {
  const last = stream.partials[stream.partials.length - 1];
  return Math.max(last?.timeS ?? 0, stream.trace.numFrames * stream.trace.frameShiftS);
}

/** Per frame, the decision time (s): `decisionTimeS` for every frame in one pass. */
export function decisionTimes(stream: EndpointStream): Float64Array {
  const n = stream.trace.numFrames;
  const times = new Float64Array(n);
  let p = 0;
  for (let t = 0; t < n; t++) {
    while (p < stream.partials.length && stream.partials[p].numFrames <= t) p++;
    times[t] = p < stream.partials.length ? stream.partials[p].timeS : (t + 1) * stream.trace.frameShiftS;
  }
  return times;
}
