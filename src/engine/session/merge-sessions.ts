/**
 * Joins sessions that `earshot analyze --shard i/n` wrote for parts of one data set into the
 * session a single run would have written: one recording per audio file, every utterance
 * once with its result and annotations, in the order given.
 */
import type { Session, SessionRecording, SessionUtterance } from '../../shared/domain/session';
import { checkShardCover } from '../dataset/shard-cover';
import { describeIssues } from './describe-issues';
import { IdAllocator, stem } from './import/utterance-fields';
import { sessionSchema } from './session-schema';

export interface NamedSession {
  /** Where it came from, for messages. */
  source: string;
  session: Session;
}

/** The settings a part was analysed with, without the shard that tells the parts apart. */
function runOf(session: Session): string {
  const { shard: _shard, ...config } = session.model.config;
  return JSON.stringify({ model: { ...session.model, config }, contextLists: session.contextLists, endpointConfig: session.endpointConfig });
}

const shardLabel = (session: Session): string | null => (typeof session.model.config.shard === 'string' ? session.model.config.shard : null);

/**
 * The merged session; `order` (utterance ids) puts them in the data set's order, else by id.
 * Throws naming the part when the parts come from different runs, miss a shard or share an utterance.
 */
export function mergeSessions(parts: readonly NamedSession[], order?: readonly string[], isEmptyShard?: (index: number, count: number) => boolean): Session {
  if (parts.length === 0) throw new Error('no sessions to merge');
  const first = parts[0];
  for (const p of parts.slice(1)) {
    if (runOf(p.session) !== runOf(first.session)) throw new Error(`${p.source} and ${first.source} were analysed with different models or settings`);
  }
  checkShardCover(parts.map((p) => ({ label: shardLabel(p.session), source: p.source })), 'sessions', isEmptyShard);
  const utterances = new Map<string, { utterance: SessionUtterance; recording: SessionRecording }>();
  const annotations: Session['annotations'] = {};
  for (const { source, session } of parts) {
    const recordings = new Map(session.recordings.map((r) => [r.id, r]));
    for (const u of session.utterances) {
      if (utterances.has(u.id)) throw new Error(`utterance "${u.id}" is in more than one session (${source} among them)`);
      utterances.set(u.id, { utterance: u, recording: recordings.get(u.recordingId) as SessionRecording });
      if (session.annotations[u.id]) annotations[u.id] = session.annotations[u.id];
    }
  }
  // Recordings are numbered in utterance order from their file names, as newSession does.
  const ids = new IdAllocator();
  const recordingOf = new Map<string, SessionRecording>();
  const merged = (order ?? [...utterances.keys()].sort()).map((id): SessionUtterance => {
    const { utterance, recording } = utterances.get(id) as { utterance: SessionUtterance; recording: SessionRecording };
    let target = recordingOf.get(recording.path);
    if (!target) {
      target = { ...recording, id: ids.take(stem(recording.path)) };
      recordingOf.set(recording.path, target);
    }
    return { ...utterance, recordingId: target.id };
  });
  const { shard: _shard, ...config } = first.session.model.config;
  const session = {
    ...first.session,
    updatedAt: new Date().toISOString(),
    journalSeq: 0,
    model: { ...first.session.model, config },
    recordings: [...recordingOf.values()],
    utterances: merged,
    annotations,
    view: {},
    // `earshot analyze` parts hold one run each, their results in the utterances: the merged session's is the same run.
    runs: first.session.runs.map((r) => ({ ...r, model: { ...first.session.model, config }, results: {}, errors: {} })),
  };
  const checked = sessionSchema.safeParse(session);
  if (!checked.success) throw new Error(`the merged session is not valid: ${describeIssues(checked.error)}`);
  return checked.data;
}
