import type { ContextList, EndpointRecord, ModelRef, Session, SessionUtterance } from '../../shared/domain/session';
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

/**
 * A session holding analysed utterances with their results inline: what `earshot analyze`
 * writes and the workbench saves. Hashes each recording once, so moved files can be re-linked.
 */
export async function sessionOfAnalyses(analyses: readonly UtteranceAnalysis[], model: ModelRef, knobs: EndpointKnobsPair, contextLists: ContextList[] = []): Promise<Session> {
  const audio = new Map<string, { sha256: string; durationS: number }>();
  for (const a of analyses) {
    const path = a.utterance.audio;
    if (!audio.has(path)) audio.set(path, { sha256: await sha256File(path), durationS: (await probeAudioFile(path)).durationS });
  }
  const session = newSession({ utterances: analyses.map((a) => a.utterance), audio, model, contextLists, endpointConfig: { ...knobs } });
  const byId = new Map(analyses.map((a) => [a.utterance.id, a]));
  return {
    ...session,
    utterances: session.utterances.map((u): SessionUtterance => {
      const a = byId.get(u.id);
      return a ? { ...u, result: { kind: 'inline', decode: a.decode }, endpoints: endpointRecordsOf(a) } : u;
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
