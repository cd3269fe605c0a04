import { dirname, join } from 'node:path';
import { mkdir, rm } from 'node:fs/promises';
import { ApiError } from '@shared/protocol';
import type { Session, UtteranceAnnotation } from '@shared/domain/session';
import type { EndpointKnobsPair } from '@shared/domain/workbench';
import { SessionAutosaver } from '@engine/session/autosave';
import type { PathGuard } from '@engine/session/path-guard';
import { saveSession } from '@engine/session/save-session';
import { SessionError } from '@engine/session/session-error';
import { annotationOf, patchAnnotation, EMPTY_ANNOTATION } from '@engine/session/annotations';
import { findMissingAudio, relinkAudio } from '@engine/session/relink';
import { journalPath } from '@engine/session/recovery-journal';
import { exportSession } from '@engine/export/export-session';
import { writeSessionBundle } from '@engine/export/session-bundle';
import { analysesOfSession, sessionOfAnalyses } from '@engine/analysis/session-of-analyses';
import { analyzeAnnotated, summarizeAnalysis, summarizeDataset } from '@engine/analysis/analyze-utterance';
import { referenceOf } from '@engine/analysis/evaluation-utterance';
import { defaultEndpointKnobs, defaultSpeculativeKnobs } from '@engine/endpoint/endpoint-config';
import { endpointPairSchema } from '@shared/api';
import { runsOfSession, sessionRunsOf } from '@engine/runs/run-state';
import type { Handlers } from '../dispatch';
import { autosavePath, isAutosave } from '../autosave-path';
import type { CurrentSession, Workspace } from '../workspace';

/** Engine errors keep their code and message across the contract. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SessionError) throw new ApiError(error.code, error.message);
    throw error;
  }
}

function knobsOf(session: Session): EndpointKnobsPair {
  const parsed = endpointPairSchema.safeParse(session.endpointConfig);
  return parsed.success ? parsed.data : { speculative: defaultSpeculativeKnobs, final: defaultEndpointKnobs };
}

function requireSession(workspace: Workspace): CurrentSession {
  if (!workspace.current) throw new ApiError('no-session', 'no session is open: open a data set and analyse it, or open a session file');
  return workspace.current;
}

/** The session as it stands: saved results plus the annotations and view made since. */
async function snapshot(workspace: Workspace, current: CurrentSession): Promise<Session> {
  const base = current.saver ? current.saver.session : await sessionOfAnalyses(workspace.analyses(current.datasetId), current.model, current.knobs);
  return {
    ...base,
    annotations: { ...base.annotations, ...current.annotations },
    view: current.view,
    endpointConfig: { ...current.knobs },
    runs: sessionRunsOf(current.runs, current.selectedRun),
    selectedRun: current.selectedRun,
  };
}

async function removeAutosave(file: string): Promise<void> {
  await Promise.all([rm(file, { force: true }), rm(journalPath(file), { force: true })]);
}

/** Gives an unsaved session a file (the autosave) so its annotations are journaled from now on. */
async function bindAutosave(workspace: Workspace, current: CurrentSession, file: string, guard: PathGuard): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const session = await snapshot(workspace, current);
  await saveSession(file, session, { guard });
  current.saver = new SessionAutosaver(file, session, { guard });
}

export function sessionHandlers(workspace: Workspace): Pick<Handlers, 'getUtteranceAnalysis' | 'openSession' | 'saveSession' | 'annotate' | 'applyEndpoints' | 'exportSession' | 'relinkAudio'> {
  return {
    async applyEndpoints({ endpoints }) {
      const current = requireSession(workspace);
      current.knobs = endpoints;
      // The selected run is the one the tuning panel tunes: its end-pointers are these now.
      const run = current.runs.find((r) => r.meta.id === current.selectedRun);
      if (run) run.meta = { ...run.meta, endpoints: { ...endpoints } };
      return { knobs: endpoints };
    },

    async getUtteranceAnalysis({ datasetId, utteranceId }) {
      return workspace.analysis(datasetId, utteranceId);
    },

    openSession: ({ path }, ctx) =>
      guarded(async () => {
        const guard = ctx.files.guard();
        const real = ctx.files.check(path, 'the session file');
        await workspace.current?.saver?.dispose();
        const { saver, opened } = await SessionAutosaver.open(real, { guard });
        const session = saver.session;
        const knobs = knobsOf(session);
        const scored = analysesOfSession(session, knobs);
        const analyses = scored.map((s) => s.analysis);
        const unannotated = new Map(scored.flatMap((s) => (s.unannotated ? [[s.analysis.utterance.id, s.unannotated] as const] : [])));
        const dataset = workspace.addDataset(path, dirname(path), 'session', analyses.map((a) => a.utterance));
        for (const a of analyses) workspace.remember(dataset.id, a, referenceOf(a.utterance, annotationOf(session, a.utterance.id)));
        workspace.current = { datasetId: dataset.id, model: session.model, knobs, annotations: { ...session.annotations }, view: session.view, runs: runsOfSession(session), selectedRun: session.selectedRun, saver };
        return {
          path,
          dataset,
          analysis: { ...summarizeDataset(dataset.id, analyses, 0, unannotated), ...(analyses[0]?.model ? { model: analyses[0].model } : {}) },
          annotations: session.annotations,
          view: session.view,
          knobs,
          missingAudio: await findMissingAudio(session),
          recovered: opened.recovered.length,
          migratedFrom: opened.migratedFrom,
        };
      }),

    saveSession: ({ path, view }, ctx) =>
      guarded(async () => {
        const current = requireSession(workspace);
        if (view) current.view = view;
        const target = path === undefined ? current.saver?.file : ctx.files.check(path, 'the session file');
        if (!target) throw new ApiError('invalid-params', 'invalid params for saveSession: path: the session has no file yet');
        const session = await snapshot(workspace, current);
        if (current.saver && current.saver.file === target) {
          current.saver.update(() => session);
          await current.saver.flush();
        } else {
          const guard = ctx.files.guard();
          // The suggested folder (Documents/Earshot) may not exist yet.
          await mkdir(dirname(target), { recursive: true });
          await saveSession(target, session, { guard });
          const previous = current.saver;
          await previous?.dispose();
          current.saver = new SessionAutosaver(target, session, { guard });
          // The work now lives in the researcher's file: an autosave left behind would be offered
          // back on the next open as if it were unsaved.
          // An autosave reopened as a session has a data-set id of its own, so the folder says what it is.
          if (previous && isAutosave(ctx.paths, previous.file) && !isAutosave(ctx.paths, target)) await removeAutosave(previous.file);
        }
        return { path: target, savedAt: new Date().toISOString() };
      }),

    annotate: ({ utteranceId, patch }, ctx) =>
      guarded(async () => {
        const current = requireSession(workspace);
        const previous = workspace.analysis(current.datasetId, utteranceId);
        if (!current.saver) await bindAutosave(workspace, current, autosavePath(ctx.paths, current.datasetId), ctx.files.guard());
        const annotation: UtteranceAnnotation = patchAnnotation(current.annotations[utteranceId] ?? EMPTY_ANNOTATION, patch);
        // Journaled before the answer: a crash after this loses nothing the researcher saw saved.
        if (current.saver) await current.saver.annotate(utteranceId, patch);
        current.annotations[utteranceId] = annotation;
        const reference = referenceOf(previous.utterance, annotation);
        const { analysis, unannotated } = analyzeAnnotated(previous.utterance, previous.decode, reference, current.knobs);
        // Re-scored, not re-decoded: the decode's model stays the one that made it.
        workspace.remember(current.datasetId, previous.model ? { ...analysis, model: previous.model } : analysis, reference);
        return { annotation, summary: summarizeAnalysis(analysis, unannotated), file: current.saver?.file ?? '' };
      }),

    exportSession: ({ format, outDir: requested, includeAudio }, ctx) =>
      guarded(async () => {
        const outDir = ctx.files.check(requested, 'the export folder');
        const current = requireSession(workspace);
        const session = await snapshot(workspace, current);
        const guard = ctx.files.guard();
        if (format === 'bundle') {
          await mkdir(outDir, { recursive: true });
          const file = join(outDir, 'session.zip');
          await writeSessionBundle(session, file, { guard, includeAudio });
          return { files: [file] };
        }
        return { files: await exportSession(session, format, outDir, { guard }) };
      }),

    relinkAudio: ({ folder }, ctx) =>
      guarded(async () => {
        const current = requireSession(workspace);
        if (!current.saver) throw new ApiError('no-session', 'save the session before re-linking its audio');
        const missing = await findMissingAudio(current.saver.session);
        const result = await relinkAudio(current.saver.session, missing, folder, { guard: ctx.files.guard() });
        current.saver.update(() => result.session);
        return { relinked: result.relinked.length, stillMissing: result.stillMissing };
      }),
  };
}
