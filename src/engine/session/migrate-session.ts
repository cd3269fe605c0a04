import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decodeResultSchema } from './decode-result-schema';
import { describeIssues } from './describe-issues';
import { seconds } from './json-number';
import { SESSION_FORMAT, SESSION_VERSION, sessionV2Fields } from './session-schema';
import { runDecodingOfConfig } from '../runs/run-settings';

/**
 * Older session files and how each becomes the next version.
 *
 * v0 (prototype "run" files): `{ version: 0, model: "<id>", items: [{ audio, sha256, duration,
 *     reference?, result? }] }`: one utterance per file, no annotations.
 * v1: `format`, `id`, `createdAt`, `model: { id, config }`, `contextLists` as a name→entries map,
 *     `endpointConfig`, `recordings: [{ id, path, sha256, durationS, reference?, result? }]`
 *     (one utterance per recording) and `annotations` as a flat list of
 *     `{ recordingId, kind: "transcript" | "end" | "tag" | "note" | "flag", value }`.
 * v2: recordings and utterances apart (segments), results inline or cached,
 *     end-pointer results, annotations per utterance, the recovery-journal mark and the view.
 * v3 (current): named runs of the data set (`runs`, `selectedRun`); the utterances' results
 *     are the selected run's. A v2 file with results becomes one run, "run 1", selected.
 *
 * Each step validates its input with that version's schema, so a malformed old file is
 * reported as such rather than half-migrated.
 */

export interface MigrationContext {
  /** ISO time for fields older versions did not record. */
  now: string;
  newId: () => string;
}

export function defaultMigrationContext(): MigrationContext {
  return { now: new Date().toISOString(), newId: randomUUID };
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const sessionV0Schema = z.object({
  version: z.literal(0),
  model: z.string(),
  items: z.array(
    z.object({
      audio: z.string().min(1),
      sha256,
      duration: seconds,
      reference: z.string().optional(),
      result: decodeResultSchema.nullable().optional(),
    }),
  ),
});

export const sessionV1Schema = z.object({
  format: z.literal(SESSION_FORMAT),
  version: z.literal(1),
  id: z.string().min(1),
  createdAt: z.string(),
  model: z.object({ id: z.string(), config: z.record(z.string(), z.unknown()) }),
  contextLists: z.record(z.string(), z.array(z.string())),
  endpointConfig: z.record(z.string(), z.unknown()).nullable(),
  recordings: z.array(
    z.object({
      id: z.string().min(1),
      path: z.string().min(1),
      sha256,
      durationS: seconds,
      reference: z.string().optional(),
      result: decodeResultSchema.optional(),
    }),
  ),
  annotations: z.array(
    z.discriminatedUnion('kind', [
      z.object({ recordingId: z.string(), kind: z.literal('transcript'), value: z.string() }),
      z.object({ recordingId: z.string(), kind: z.literal('end'), value: seconds }),
      z.object({ recordingId: z.string(), kind: z.literal('tag'), value: z.string() }),
      z.object({ recordingId: z.string(), kind: z.literal('note'), value: z.string() }),
      z.object({ recordingId: z.string(), kind: z.literal('flag'), value: z.string() }),
    ]),
  ),
});

export const sessionV2Schema = z.object(sessionV2Fields);

type V0 = z.output<typeof sessionV0Schema>;
type V1 = z.output<typeof sessionV1Schema>;
type V2 = z.output<typeof sessionV2Schema>;

/** v0 → v1: ids from file names (made unique), the model id becomes a model reference. */
function v0ToV1(doc: V0, ctx: MigrationContext): z.input<typeof sessionV1Schema> {
  const used = new Set<string>();
  return {
    format: SESSION_FORMAT,
    version: 1,
    id: ctx.newId(),
    createdAt: ctx.now,
    model: { id: doc.model, config: {} },
    contextLists: {},
    endpointConfig: null,
    recordings: doc.items.map((item) => ({
      id: uniqueId(basename(item.audio).replace(/\.[^.]*$/, '') || 'recording', used),
      path: item.audio,
      sha256: item.sha256,
      durationS: item.duration,
      ...(item.reference !== undefined ? { reference: item.reference } : {}),
      ...(item.result ? { result: item.result } : {}),
    })),
    annotations: [],
  };
}

/** v1 flags were free text; v2 knows a fixed set and keeps the others as tags. */
const V1_FLAG_NAMES: Record<string, string> = { 'bad cut-off': 'bad-cutoff', 'bad-cutoff': 'bad-cutoff', 'late-endpoint': 'late-endpoint', 'bad-reference': 'bad-reference', 'bad-audio': 'bad-audio' };

/** v1 → v2: one utterance per recording with the same id; annotations grouped per utterance. */
function v1ToV2(doc: V1, ctx: MigrationContext): unknown {
  // A Map, not an object literal: ids come from the file and may be "__proto__".
  const annotations = new Map<string, { correctedText?: string; trueEndS?: number; tags: string[]; notes: string; flags: string[] }>();
  for (const a of doc.annotations) {
    const entry = annotations.get(a.recordingId) ?? { tags: [], notes: '', flags: [] };
    annotations.set(a.recordingId, entry);
    if (a.kind === 'transcript') entry.correctedText = a.value;
    else if (a.kind === 'end') entry.trueEndS = a.value;
    else if (a.kind === 'tag') entry.tags.push(a.value);
    else if (a.kind === 'note') entry.notes = entry.notes ? `${entry.notes}\n${a.value}` : a.value;
    else if (Object.hasOwn(V1_FLAG_NAMES, a.value)) entry.flags.push(V1_FLAG_NAMES[a.value]);
    else entry.tags.push(a.value);
  }
  return {
    format: SESSION_FORMAT,
    version: 2,
    id: doc.id,
    createdAt: doc.createdAt,
    updatedAt: ctx.now,
    journalSeq: 0,
    model: doc.model,
    contextLists: Object.entries(doc.contextLists).map(([name, entries]) => ({ name, entries })),
    endpointConfig: doc.endpointConfig,
    recordings: doc.recordings.map((r) => ({ id: r.id, path: r.path, sha256: r.sha256, durationS: r.durationS })),
    utterances: doc.recordings.map((r) => ({
      id: r.id,
      recordingId: r.id,
      ...(r.reference !== undefined ? { text: r.reference } : {}),
      ...(r.result ? { result: { kind: 'inline', decode: r.result } } : {}),
      endpoints: [],
    })),
    annotations: Object.fromEntries(annotations),
    view: {},
  };
}

/** v2 → v3: the results a v2 session holds become its one run, selected, with the session's model and knobs. */
function v2ToV3(doc: V2): unknown {
  const analysed = doc.utterances.some((u) => u.result);
  const run = { id: 'run-1', name: 'run 1', createdAt: doc.updatedAt, model: doc.model, decoding: runDecodingOfConfig(doc.model.config), context: { mode: 'per-utterance', entries: [] }, endpoints: doc.endpointConfig ?? {}, results: {}, errors: {} };
  return { ...doc, version: 3, runs: analysed ? [run] : [], selectedRun: analysed ? run.id : null };
}

function uniqueId(base: string, used: Set<string>): string {
  let candidate = base;
  for (let n = 2; used.has(candidate); n++) candidate = `${base}-${n}`;
  used.add(candidate);
  return candidate;
}

export type MigrationResult =
  | { ok: true; doc: unknown; from: number }
  | { ok: false; reason: 'unknown-version' | 'invalid'; problem: string };

/**
 * Brings a parsed document of any known version up to SESSION_VERSION (not yet validated as
 * current: the caller does that with the one schema, so all errors read alike).
 */
export function migrateSession(doc: unknown, ctx: MigrationContext = defaultMigrationContext()): MigrationResult {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, reason: 'invalid', problem: 'is not a JSON object' };
  }
  const version = (doc as { version?: unknown }).version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { ok: false, reason: 'invalid', problem: 'has no valid "version" field; is it an Earshot session?' };
  }
  if (version > SESSION_VERSION) {
    return {
      ok: false,
      reason: 'unknown-version',
      problem: `is session version ${version}, but this Earshot reads versions up to ${SESSION_VERSION}; open it with a newer Earshot`,
    };
  }
  let current: unknown = doc;
  if (version === 0) {
    const v0 = sessionV0Schema.safeParse(current);
    if (!v0.success) return { ok: false, reason: 'invalid', problem: `is not a valid version 0 session: ${describeIssues(v0.error)}` };
    current = v0ToV1(v0.data, ctx);
  }
  if (version <= 1) {
    const v1 = sessionV1Schema.safeParse(current);
    if (!v1.success) return { ok: false, reason: 'invalid', problem: `is not a valid version 1 session: ${describeIssues(v1.error)}` };
    current = v1ToV2(v1.data, ctx);
  }
  if (version <= 2) {
    const v2 = sessionV2Schema.safeParse(current);
    if (!v2.success) return { ok: false, reason: 'invalid', problem: `is not a valid version 2 session: ${describeIssues(v2.error)}` };
    current = v2ToV3(v2.data);
  }
  return { ok: true, doc: current, from: version };
}
