import { z } from 'zod';
import { jsonNumber } from './json-number';

/** Validates a stored DecodeResult (src/shared/domain/decode.ts); a test asserts the two agree. */
const frame = z.int().nonnegative();

const vadTrack = z.object({ frameShiftS: jsonNumber, speechProb: z.array(jsonNumber) });

export const tokenEmissionSchema = z.object({
  id: z.int(),
  symbol: z.string(),
  frame,
  timeS: jsonNumber,
  logProb: jsonNumber,
  biasBonus: jsonNumber,
});

export const hypothesisSchema = z.object({
  text: z.string(),
  tokens: z.array(tokenEmissionSchema),
  score: jsonNumber,
  acousticScore: jsonNumber,
  biasScore: jsonNumber,
  lmScore: jsonNumber.optional(),
});

export const latticeSchema = z.object({
  frameShiftS: jsonNumber,
  nodes: z.array(z.object({ id: z.int(), frame, timeS: jsonNumber })),
  arcs: z.array(
    z.object({
      from: z.int(),
      to: z.int(),
      word: z.string(),
      startFrame: frame,
      endFrame: frame,
      acousticScore: jsonNumber,
      biasScore: jsonNumber,
      posterior: jsonNumber,
      lmScore: jsonNumber.optional(),
    }),
  ),
  start: z.int(),
  end: z.int(),
});

export const decodeResultSchema = z.object({
  hyp: z.string(),
  nbest: z.array(hypothesisSchema),
  lattice: latticeSchema,
  trace: z.object({
    frameShiftS: jsonNumber,
    numFrames: z.int().nonnegative(),
    blankProb: z.array(jsonNumber),
    bestToken: z.array(z.int()),
    eoqProb: z.array(jsonNumber),
    logEnergy: z.array(jsonNumber),
    emitted: z.array(z.int()),
    vad: z.object({ silero: vadTrack.optional(), webrtc: vadTrack.optional() }).optional(),
  }),
  partials: z.array(
    z.object({ chunkIndex: z.int(), numFrames: z.int().nonnegative(), timeS: jsonNumber, text: z.string() }),
  ),
  attention: z
    .object({ entries: z.array(z.string()), numFrames: z.int().nonnegative(), weights: z.array(jsonNumber) })
    .optional(),
  stats: z.object({ decodeS: jsonNumber, durationS: jsonNumber, latticeBytes: jsonNumber, latticeGzBytes: jsonNumber.optional(), audioBytes: jsonNumber }),
  repairs: z.array(z.string()).optional(),
});
