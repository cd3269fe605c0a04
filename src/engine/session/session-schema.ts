import { z } from 'zod';
import { lmBonusSchema, lmWeightSchema, tailPaddingSchema } from '../../shared/api';
import { ANNOTATION_FLAGS } from '../../shared/domain/session';
import { decodeResultSchema } from './decode-result-schema';
import { seconds } from './json-number';

/**
 * The session file, version 3. History and migrations: migrate-session.ts.
 * Fields are written in this order, so `format` and `version` open every file.
 */
export const SESSION_VERSION = 3;
export const SESSION_FORMAT = 'earshot-session';

// Ids key the annotations record, where "__proto__" cannot be a key (zod drops it).
const id = z.string().min(1).max(1024).refine((s) => s !== '__proto__', '"__proto__" cannot be an id');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

export const recordingSchema = z.object({ id, path: z.string().min(1), sha256, durationS: seconds });

export const contextListSchema = z.object({ name: z.string().min(1), entries: z.array(z.string()) });

export const endpointRecordSchema = z.object({
  detector: z.string().min(1),
  endS: seconds.nullable(),
  events: z.array(
    z.object({
      type: z.enum(['speculative', 'final', 'revise', 'reset']),
      frame: z.int().nonnegative(),
      timeS: seconds,
      text: z.string(),
      rule: z.string().optional(),
      reason: z.enum(['speech-resumed', 'text-changed']).optional(),
    }),
  ),
});

export const resultRecordSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('inline'), decode: decodeResultSchema }),
  z.object({ kind: z.literal('cache'), key: z.string().min(1) }),
]);

export const sessionUtteranceSchema = z.object({
  id,
  recordingId: id,
  startS: seconds.optional(),
  endS: seconds.optional(),
  text: z.string().optional(),
  context: z.array(z.string()).optional(),
  speechStartS: seconds.optional(),
  speechEndS: seconds.optional(),
  speechSegments: z.array(z.tuple([seconds, seconds])).optional(),
  result: resultRecordSchema.optional(),
  error: z.string().optional(),
  endpoints: z.array(endpointRecordSchema).default([]),
});

const modelRefSchema = z.object({ id: z.string(), config: z.record(z.string(), z.unknown()).default({}), dir: z.string().optional(), sha256: z.string().optional() });

export const runDecodingSchema = z.object({
  beam: z.int().min(1).max(16),
  maxSymbolsPerFrame: z.int().min(1).max(10).optional(),
  fusionBoost: z.number().finite().min(0).max(20).optional(),
  shallowFusion: z.boolean(),
  attentionBias: z.boolean(),
  lmWeight: lmWeightSchema.optional(),
  lmBonus: lmBonusSchema.optional(),
  tailPaddingS: tailPaddingSchema.optional(),
  variant: z.enum(['int8', 'fp32']).default('int8'),
});

export const runContextSchema = z.object({
  mode: z.enum(['per-utterance', 'list']),
  entries: z.array(z.object({ phrase: z.string().min(1), boost: z.number().finite().min(0).max(20).optional() })).default([]),
});

export const sessionRunSchema = z.object({
  id,
  name: z.string().min(1).max(200),
  createdAt: z.string(),
  model: modelRefSchema,
  decoding: runDecodingSchema,
  context: runContextSchema,
  endpoints: z.record(z.string(), z.unknown()).default({}),
  results: z.record(z.string(), resultRecordSchema).default({}),
  errors: z.record(z.string(), z.string()).default({}),
});

export const annotationFlagSchema = z.enum(ANNOTATION_FLAGS);

export const utteranceAnnotationSchema = z.object({
  correctedText: z.string().optional(),
  trueEndS: seconds.optional(),
  tags: z.array(z.string()).default([]),
  notes: z.string().default(''),
  flags: z.array(annotationFlagSchema).default([]),
});

export const annotationPatchSchema = z.strictObject({
  correctedText: z.string().nullable().optional(),
  trueEndS: seconds.nullable().optional(),
  tags: z.array(z.string()).optional(),
  notes: z.string().optional(),
  flags: z.array(annotationFlagSchema).optional(),
});

/** Version 2's fields (no runs): migrate-session.ts validates old files with it. */
export const sessionV2Fields = {
    format: z.literal(SESSION_FORMAT),
    version: z.literal(2),
    id,
    createdAt: z.string(),
    updatedAt: z.string(),
    journalSeq: z.int().nonnegative().default(0),
    model: modelRefSchema,
    contextLists: z.array(contextListSchema).default([]),
    endpointConfig: z.record(z.string(), z.unknown()).nullable().default(null),
    recordings: z.array(recordingSchema),
    utterances: z.array(sessionUtteranceSchema),
    annotations: z.record(z.string(), utteranceAnnotationSchema).default({}),
    view: z.record(z.string(), z.unknown()).default({}),
};

export const sessionSchema = z
  .object({
    ...sessionV2Fields,
    version: z.literal(SESSION_VERSION),
    runs: z.array(sessionRunSchema).default([]),
    selectedRun: id.nullable().default(null),
  })
  .superRefine((s, ctx) => {
    const recordingIds = new Set<string>();
    s.recordings.forEach((r, i) => {
      if (recordingIds.has(r.id)) ctx.addIssue({ code: 'custom', path: ['recordings', i, 'id'], message: `duplicate recording id "${r.id}"` });
      recordingIds.add(r.id);
    });
    const utteranceIds = new Set<string>();
    s.utterances.forEach((u, i) => {
      if (utteranceIds.has(u.id)) ctx.addIssue({ code: 'custom', path: ['utterances', i, 'id'], message: `duplicate utterance id "${u.id}"` });
      utteranceIds.add(u.id);
      if (!recordingIds.has(u.recordingId)) {
        ctx.addIssue({ code: 'custom', path: ['utterances', i, 'recordingId'], message: `no recording has id "${u.recordingId}"` });
      }
      if (u.startS !== undefined && u.endS !== undefined && u.endS < u.startS) {
        ctx.addIssue({ code: 'custom', path: ['utterances', i, 'endS'], message: 'ends before it starts' });
      }
    });
    const runIds = new Set<string>();
    s.runs.forEach((r, i) => {
      if (runIds.has(r.id)) ctx.addIssue({ code: 'custom', path: ['runs', i, 'id'], message: `duplicate run id "${r.id}"` });
      runIds.add(r.id);
      for (const key of [...Object.keys(r.results), ...Object.keys(r.errors)]) {
        if (!utteranceIds.has(key)) ctx.addIssue({ code: 'custom', path: ['runs', i, 'results', key], message: `no utterance has id "${key}"` });
      }
    });
    if (s.selectedRun !== null && !runIds.has(s.selectedRun)) ctx.addIssue({ code: 'custom', path: ['selectedRun'], message: `no run has id "${s.selectedRun}"` });
    for (const key of Object.keys(s.annotations)) {
      if (!utteranceIds.has(key)) ctx.addIssue({ code: 'custom', path: ['annotations', key], message: `no utterance has id "${key}"` });
    }
  });

/** The session as the engine holds it once validated. */
export type SessionData = z.output<typeof sessionSchema>;
