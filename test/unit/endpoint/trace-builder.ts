import type { TokenEmission } from '../../../src/shared/domain/decode';
import type { EndpointStream } from '../../../src/engine/endpoint/endpoint-stream';
import { chunkPartials } from '../../../src/engine/endpoint/synthetic-stream';
import { detokenize } from '../../../src/engine/endpoint/endpoint-stream';

/**
 * Hand-made streams, one character per 40 ms encoder frame:
 *   `_` silence (blank ≈ 0.99, quiet),  `-` speech without emission (loud),
 *   `W` speech emitting the next word of `words` (one token per word).
 * `eoq` gives the end-of-query head per frame as digits: d → (d + 0.5) / 10; shorter
 * strings are padded with their last digit. `chunkFrames` 1 puts a partial at every frame.
 */
export function stream(
  pattern: string,
  options: { words?: string[]; eoq?: string | null; chunkFrames?: number } = {},
): EndpointStream {
  const frames = [...pattern];
  const words = options.words ?? frames.filter((c) => c === 'W').map((_, i) => `w${i + 1}`);
  const tokens: TokenEmission[] = [];
  frames.forEach((c, frame) => {
    if (c === 'W') {
      const symbol = `▁${words[tokens.length]}`;
      tokens.push({ id: tokens.length + 1, symbol, frame, timeS: frame * 0.04, logProb: -0.1, biasBonus: 0 });
    }
  });
  const eoqDigits = options.eoq === null ? '' : (options.eoq ?? '0');
  const trace = {
    frameShiftS: 0.04,
    numFrames: frames.length,
    blankProb: frames.map((c) => (c === '_' ? 0.99 : c === 'W' ? 0.05 : 0.5)),
    bestToken: frames.map((c) => (c === 'W' ? 1 : 0)),
    eoqProb: eoqDigits === '' ? [] : frames.map((_, t) => (Number(eoqDigits[Math.min(t, eoqDigits.length - 1)]) + 0.5) / 10),
    logEnergy: frames.map((c) => (c === '_' ? -14 : -4)),
    emitted: frames.map((c) => (c === 'W' ? 1 : 0)),
  };
  return { id: 'hand-made', trace, partials: chunkPartials(trace, tokens, options.chunkFrames ?? 1), tokens, text: detokenize(tokens) };
}

export const silence = (frames: number): string => '_'.repeat(frames);
export const seconds = (s: number): number => Math.round(s / 0.04);
