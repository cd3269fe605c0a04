/**
 * The live microphone's part of the contract: the renderer starts a live session, streams its
 * audio in numbered chunks of 16-bit PCM and stops it; the long-running `liveStart` request
 * carries the session's events back (partial hypotheses, end-of-query probabilities, both
 * end-pointers' events, the lattice, and each utterance saved to the live data set).
 */
import { z } from 'zod';
import type { EndpointEvent } from './domain/endpoint';
import type { Lattice } from './domain/decode';

/** Chosen by the renderer, so its audio chunks can name the session before `liveStart` answers. */
export const liveSessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a live session id is 8–64 letters, digits, "_" or "-"');

/** Capture rates the engine's resampler takes to 16 kHz. */
export const liveSampleRateSchema = z.number().int().min(8000, 'the capture rate must be at least 8000 Hz').max(192_000, 'the capture rate must be at most 192000 Hz');

/** At most a second of 192 kHz audio per chunk (16-bit little-endian, base64). */
export const LIVE_MAX_CHUNK_SAMPLES = 192_000;
const base64Pcm = z
  .string()
  .max(Math.ceil((LIVE_MAX_CHUNK_SAMPLES * 2) / 3) * 4, 'an audio chunk holds at most 192000 samples')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'an audio chunk is base64 text');

export const liveAudioSchema = z
  .object({
    sessionId: liveSessionIdSchema,
    /** 0, 1, 2, … per session: a gap means audio was lost, and the session says so. */
    seq: z.number().int().min(0),
    /** Mono 16-bit little-endian PCM at the session's capture rate, base64. */
    pcm: base64Pcm.refine((text) => text.length % 4 === 0, 'base64 text comes in groups of four characters'),
  })
  .strict();

export const liveStopSchema = z.object({ sessionId: liveSessionIdSchema }).strict();

const seconds = z.number().finite().min(0);

export const endpointEventSchema = z
  .object({
    type: z.enum(['speculative', 'final', 'revise', 'reset']),
    frame: z.number().int().min(0),
    timeS: seconds,
    text: z.string(),
    rule: z.string().optional(),
    reason: z.enum(['speech-resumed', 'text-changed']).optional(),
  })
  .strict() satisfies z.ZodType<EndpointEvent>;

/**
 * The lattice as the offline decode sends it (its scores may be −∞, which JSON carries as null):
 * its shape is checked, its numbers are the engine's own.
 */
const latticeSchema = z.custom<Lattice>((value) => {
  const l = value as Partial<Lattice> | null;
  return typeof l === 'object' && l !== null && Array.isArray(l.nodes) && Array.isArray(l.arcs) && typeof l.start === 'number' && typeof l.end === 'number';
}, 'a lattice has nodes, arcs, a start and an end');

/** How an utterance of a live session ended. */
export const liveEndSchema = z.enum([
  /** The final end-pointer fired. */
  'final',
  /** The user stopped the microphone mid-utterance. */
  'stopped',
  /** It reached the live session's longest utterance without a final end-point. */
  'too-long',
]);

/** After every decoded chunk: the open utterance as decoded so far. */
export const liveUpdateSchema = z
  .object({
    type: z.literal('update'),
    /** 0, 1, 2, … within the session. */
    utterance: z.number().int().min(0),
    /** Audio of this utterance decoded so far (s). */
    timeS: seconds,
    text: z.string(),
    frameShiftS: z.number().positive(),
    /** The end-of-query probabilities of the frames decoded since the last update, from frame `eoqFrom` on. */
    eoqFrom: z.number().int().min(0),
    eoq: z.array(z.number().min(0).max(1)),
    /** Both end-pointers' events on the utterance so far, as the offline decode would give them for this audio. */
    events: z.array(endpointEventSchema),
    lattice: latticeSchema,
  })
  .strict();

export const liveEventSchema = z.discriminatedUnion('type', [
  /** The session listens: where its utterances go. */
  z.object({ type: z.literal('ready'), folder: z.string(), manifest: z.string() }).strict(),
  liveUpdateSchema,
  /** An utterance ended and joined the live data set: its WAV and manifest line are on disk. */
  z
    .object({
      type: z.literal('saved'),
      utterance: z.number().int().min(0),
      id: z.string(),
      audio: z.string(),
      manifest: z.string(),
      reason: liveEndSchema,
      text: z.string(),
      durationS: seconds,
      events: z.array(endpointEventSchema),
    })
    .strict(),
  /** An utterance ended with nothing recognised (silence): nothing is saved. */
  z.object({ type: z.literal('discarded'), utterance: z.number().int().min(0), reason: liveEndSchema, durationS: seconds }).strict(),
]);

export type LiveUpdate = z.output<typeof liveUpdateSchema>;
export type LiveEvent = z.output<typeof liveEventSchema>;
export type LiveEnd = z.output<typeof liveEndSchema>;
export type LiveSaved = Extract<LiveEvent, { type: 'saved' }>;

/** What `liveStart` answers once the session has stopped. */
export interface LiveSessionResult {
  folder: string;
  manifest: string;
  saved: LiveSaved[];
}
