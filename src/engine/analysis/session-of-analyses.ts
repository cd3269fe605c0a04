import type { ContextList, EndpointRecord, ModelRef, Session, SessionRun, SessionUtterance, Utterance } from '../../shared/domain/session';
import { runDecodingOfConfig } from '../runs/run-settings';
import type { EndpointKnobsPair, UtteranceAnalysis } from '../../shared/domain/workbench';
import { probeAudioFile } from '../audio/probe';
import { sha256File } from '../session/file-hash';
import { newSession } from '../session/new-session';
import { annotationOf } from '../session/annotations';
import { analyzeAnnotated } from './analyze-utterance';
import { provenanceOfRef } from '../models/model-provenance';
import { referenceOf } from './evaluation-utterance';

/** The two end-pointers' decisions on an utterance, as the session stores them. */
export function endpointRecordsOf(analysis: UtteranceAnalysis): EndpointRecord[] {
  const { speculative, final, events } = analysis.endpoints;
  return [
    { detector: 'speculative', endS: speculative.fired ? speculative.timeS : null, events: events.filter((e) => e.type !== 'final') },
    { detector: 'final', endS: final.fired ? final.timeS : null, events: events.filter((e) => e.type === 'final' || e.type === 'revise') },
  ];
}

/** An utterance that could not be analysed, and why. */
export interface FailedUtterance {
  utterance: Utterance;
  error: string;
}

/** A file that cannot be read or probed (the reason its utterance failed) still gets a recording. */
const UNREADABLE = { sha256: '0'.repeat(64), durationS: 0 };

/**
 * A session holding analysed utterances with their results inline: what `earshot analyze`
 * writes and the workbench saves. Hashes each recording once, so moved files can be re-linked.
 * Failed utterances stay in it, without a result and with their error.
 */
export async function sessionOfAnalyses(
  analyses: readonly UtteranceAnalysis[],
  model: ModelRef,
  knobs: EndpointKnobsPair,
  contextLists: ContextList[] = [],
  failures: readonly FailedUtterance[] = [],
): Promise<Session> {
  const audio = new Map<string, { sha256: string; durationS: number }>();
  for (const a of analyses) {
    const path = a.utterance.audio;
    if (!audio.has(path)) audio.set(path, { sha256: await sha256File(path), durationS: (await probeAudioFile(path)).durationS });
  }
  for (const { utterance } of failures) {
    const path = utterance.audio;
    if (audio.has(path)) continue;
    const sha256 = await sha256File(path).catch(() => UNREADABLE.sha256);
    audio.set(path, { sha256, durationS: await probeAudioFile(path).then((p) => p.durationS, () => UNREADABLE.durationS) });
  }
  const utterances = [...analyses.map((a) => a.utterance), ...failures.map((f) => f.utterance)];
  const session = newSession({ utterances, audio, model, contextLists, endpointConfig: { ...knobs } });
  const byId = new Map(analyses.map((a) => [a.utterance.id, a]));
  const errors = new Map(failures.map((f) => [f.utterance.id, f.error]));
  // Its results are one run, selected (a session opened in the workbench compares it with later runs).
  const run: SessionRun = {
    id: 'run-1',
    name: 'run 1',
    createdAt: session.createdAt,
    model,
    decoding: runDecodingOfConfig(model.config),
    context: { mode: 'per-utterance', entries: contextLists.flatMap((l) => l.entries.map((phrase) => ({ phrase }))) },
    endpoints: { ...knobs },
    results: {},
    errors: {},
  };
  return {
    ...session,
    ...(analyses.length > 0 ? { runs: [run], selectedRun: run.id } : {}),
    utterances: session.utterances.map((u): SessionUtterance => {
      const a = byId.get(u.id);
      if (a) return { ...u, result: { kind: 'inline', decode: a.decode }, endpoints: endpointRecordsOf(a) };
      const error = errors.get(u.id);
      return error === undefined ? u : { ...u, error };
    }),
  };
}

/**
 * The analyses a session's inline results stand for, re-scored with its annotations (a
 * corrected transcript changes WER, a marked end changes latency) and the given knobs; for
 * annotated utterances also the analysis without the annotation.
 */
export function analysesOfSession(session: Session, knobs: EndpointKnobsPair): Array<ReturnType<typeof analyzeAnnotated>> {
  const paths = new Map(session.recordings.map((r) => [r.id, r.path]));
  const model = provenanceOfRef(session.model);
  return session.utterances.flatMap((u) => {
    if (u.result?.kind !== 'inline') return [];
    const utterance = {
      id: u.id,
      audio: paths.get(u.recordingId) ?? '',
      startS: u.startS,
      endS: u.endS,
      text: u.text,
      context: u.context,
      speechStartS: u.speechStartS,
      speechEndS: u.speechEndS,
      speechSegments: u.speechSegments,
    };
    const reference = referenceOf(utterance, annotationOf(session, u.id));
    const { analysis, unannotated } = analyzeAnnotated(utterance, u.result.decode, reference, knobs);
    return [{ analysis: model ? { ...analysis, model } : analysis, ...(unannotated ? { unannotated } : {}) }];
  });
}
