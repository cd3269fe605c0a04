import type { DecodeResult } from '../../shared/domain/decode';
import type { Session, SessionRun, SessionUtterance } from '../../shared/domain/session';

/** A run as the engine host holds it: its settings and its decodes by utterance id. */
export interface RunState {
  meta: Omit<SessionRun, 'results' | 'errors'>;
  decodes: Map<string, DecodeResult>;
  errors: Map<string, string>;
}

/**
 * The runs of a session with their decodes: the selected run's are the utterances' inline
 * results, every other run's its own `results`. Cached results are not held in memory.
 */
export function runsOfSession(session: Session): RunState[] {
  return session.runs.map(({ results, errors, ...meta }) => {
    const selected = meta.id === session.selectedRun;
    const decodes = new Map<string, DecodeResult>();
    for (const u of session.utterances) {
      const record = selected ? u.result : results[u.id];
      if (record?.kind === 'inline') decodes.set(u.id, record.decode);
    }
    const failed = selected ? session.utterances.flatMap((u) => (u.error === undefined ? [] : [[u.id, u.error] as const])) : Object.entries(errors);
    return { meta, decodes, errors: new Map(failed) };
  });
}

/** The session's `runs`: the selected run's decodes live in the utterances, so it keeps none here. */
export function sessionRunsOf(runs: readonly RunState[], selected: string | null): SessionRun[] {
  return runs.map((r) => ({
    ...r.meta,
    results: r.meta.id === selected ? {} : Object.fromEntries([...r.decodes].map(([id, decode]) => [id, { kind: 'inline' as const, decode }])),
    errors: r.meta.id === selected ? {} : Object.fromEntries(r.errors),
  }));
}

/** The session with a run's decodes as its utterances' results (the run just selected). */
export function withSelectedRun(session: Session, run: RunState, endpoints: (id: string) => SessionUtterance['endpoints']): Session {
  return {
    ...session,
    selectedRun: run.meta.id,
    endpointConfig: { ...run.meta.endpoints },
    model: run.meta.model,
    utterances: session.utterances.map(({ result: _result, error: _error, ...u }): SessionUtterance => {
      const decode = run.decodes.get(u.id);
      const error = run.errors.get(u.id);
      return { ...u, ...(decode ? { result: { kind: 'inline', decode } } : {}), ...(error === undefined ? {} : { error }), endpoints: decode ? endpoints(u.id) : [] };
    }),
  };
}
