import { randomUUID } from 'node:crypto';
import type { ContextList, ModelRef, Session, SessionRecording, Utterance } from '../../shared/domain/session';
import { describeIssues } from './describe-issues';
import { SESSION_FORMAT, SESSION_VERSION, sessionSchema } from './session-schema';
import { SessionError } from './session-error';
import { IdAllocator, stem } from './import/utterance-fields';

export interface NewSessionInput {
  utterances: readonly Utterance[];
  /** sha256 and duration of every audio file the utterances use (from sha256File and the audio reader). */
  audio: ReadonlyMap<string, { sha256: string; durationS: number }>;
  model: ModelRef;
  contextLists?: ContextList[];
  endpointConfig?: Record<string, unknown> | null;
  id?: string;
  now?: string;
}

/** A new session over imported utterances: one recording per audio file, utterances pointing at them. */
export function newSession(input: NewSessionInput): Session {
  const ids = new IdAllocator();
  const recordings = new Map<string, SessionRecording>();
  for (const u of input.utterances) {
    if (recordings.has(u.audio)) continue;
    const info = input.audio.get(u.audio);
    if (!info) throw new SessionError('invalid', u.audio, `has no sha256/duration (needed by utterance "${u.id}")`);
    recordings.set(u.audio, { id: ids.take(stem(u.audio)), path: u.audio, ...info });
  }
  const now = input.now ?? new Date().toISOString();
  const draft = {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    id: input.id ?? randomUUID(),
    createdAt: now,
    updatedAt: now,
    journalSeq: 0,
    model: input.model,
    contextLists: input.contextLists ?? [],
    endpointConfig: input.endpointConfig ?? null,
    recordings: [...recordings.values()],
    utterances: input.utterances.map((u) => ({
      id: u.id,
      recordingId: (recordings.get(u.audio) as SessionRecording).id,
      ...(u.startS !== undefined ? { startS: u.startS } : {}),
      ...(u.endS !== undefined ? { endS: u.endS } : {}),
      ...(u.text !== undefined ? { text: u.text } : {}),
      ...(u.context !== undefined ? { context: u.context } : {}),
      ...(u.speechStartS !== undefined ? { speechStartS: u.speechStartS } : {}),
      ...(u.speechEndS !== undefined ? { speechEndS: u.speechEndS } : {}),
      ...(u.speechSegments !== undefined ? { speechSegments: u.speechSegments } : {}),
      endpoints: [],
    })),
    annotations: {},
    view: {},
    runs: [],
    selectedRun: null,
  };
  const checked = sessionSchema.safeParse(draft);
  if (!checked.success) throw new SessionError('invalid', '(new session)', describeIssues(checked.error));
  return checked.data;
}
