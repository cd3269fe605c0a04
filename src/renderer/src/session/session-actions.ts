import { markRaw } from 'vue';
import type { EarshotApi } from '@shared/api';
import type { AnnotationPatch } from '@shared/domain/session';
import type { DatasetAnalysis, DatasetSummary, UtteranceSummary } from '@shared/domain/workbench';
import { copyKnobs, CUTOFF_BUDGETS, type Area, type Theme, type WorkbenchState } from '../state/workbench-state';
import type { TimeView } from '../lib/time-scale';
import { freshSession } from './session-state';
import { dismissAutosave, wasDismissed } from '../state/work-memory';
import { rememberRecent } from '../state/recent';
import { captureView, readView } from './view-state';

export type ExportFormat = 'textgrid' | 'audacity' | 'ctm' | 'csv' | 'slf' | 'nemo' | 'bundle';

/** Saves while annotations wait only in the journal (a failed save, a burst of edits). */
const AUTOSAVE_EVERY_MS = 30_000;

/** What the session actions need from the main store. */
export interface SessionDeps {
  state: WorkbenchState;
  api: EarshotApi;
  guard<T>(area: Area, work: () => Promise<T>): Promise<T | undefined>;
  select(id: string): Promise<void>;
  analyseSelected(): Promise<void>;
  /** Re-evaluates the tuning panel's draft knobs against the host's (re-scored) results. */
  evaluateDraft(): Promise<void>;
  setView(view: TimeView): void;
  setTheme(theme: Theme): void;
}

/** The data set's rows with one replaced, and its corpus WER summed again over them. */
function withSummary(analysis: DatasetAnalysis, summary: UtteranceSummary): DatasetAnalysis {
  const utterances = analysis.utterances.map((u) => (u.id === summary.id ? summary : u));
  const errors = utterances.reduce((n, u) => n + (u.errors?.errors ?? 0), 0);
  const referenceWords = utterances.reduce((n, u) => n + (u.errors?.referenceWords ?? 0), 0);
  return { ...analysis, utterances, wer: referenceWords > 0 ? errors / referenceWords : null };
}

/** The session part of the store: open, save, annotate, export, re-link and autosave. */
export function createSessionActions(deps: SessionDeps) {
  const { state, api, guard } = deps;
  /** One save at a time: an autosave tick during a save would only write the same again. */
  let saving: Promise<boolean> | null = null;

  /** The corpus latency in the sidebar follows the annotations: evaluate the session's knobs again. */
  async function refreshEndpointMetrics(): Promise<void> {
    const datasetId = state.datasetAnalysis?.datasetId;
    const knobs = state.sessionKnobs;
    if (!datasetId || !knobs) return;
    const result = await guard('session', () => api.call('evaluateEndpoints', { datasetId, endpoints: copyKnobs(knobs), outcomeIds: [] }));
    if (result && state.datasetAnalysis?.datasetId === datasetId) state.datasetAnalysis = markRaw({ ...state.datasetAnalysis, endpointMetrics: result.metrics });
  }

  async function writeSession(path: string): Promise<boolean> {
    state.session.status = 'saving';
    const result = await guard('session', () => api.call('saveSession', { path, view: captureView(state) }));
    if (!result) {
      state.session.status = 'failed';
      return false;
    }
    state.session.path = result.path;
    state.session.savedAt = result.savedAt;
    state.session.dirty = false;
    state.session.knobsUnsaved = false;
    // The host removed the autosave: the work is in the researcher's file now.
    state.session.autosaveFile = null;
    state.session.status = 'saved';
    rememberRecent('sessions', result.path);
    return true;
  }

  const session = {
    /**
     * A newly opened data set starts a new session; an autosave an earlier run left is offered
     * back, unless the researcher already dismissed that same work.
     */
    startFresh(dataset: DatasetSummary): void {
      const offer = dataset.autosave && !wasDismissed(dataset.autosave, dataset.autosaveAt) ? dataset.autosave : null;
      state.session = freshSession(offer, offer ? (dataset.autosaveAt ?? null) : null);
      state.annotations = {};
    },

    /** Opens a session file and shows everything as it was saved: data set, results, knobs, annotations, view. */
    async open(path: string): Promise<boolean> {
      const opened = await guard('session', () => api.call('openSession', { path }));
      if (!opened) return false;
      rememberRecent('sessions', opened.path);
      state.dataset = markRaw(opened.dataset);
      state.datasetAnalysis = markRaw(opened.analysis);
      state.sessionOutcomes = Object.fromEntries(opened.analysis.utterances.map((u) => [u.id, u.endpoints]));
      state.evaluation = undefined;
      state.sweep = undefined;
      state.sessionKnobs = copyKnobs(opened.knobs);
      state.draftKnobs = copyKnobs(opened.knobs);
      state.annotations = { ...opened.annotations };
      state.session = {
        ...freshSession(),
        path: opened.path,
        // Recovered annotations are in the journal, not yet in the file.
        dirty: opened.recovered > 0,
        status: opened.recovered > 0 ? 'journaled' : 'saved',
        missingAudio: opened.missingAudio,
        recovered: opened.recovered,
        migratedFrom: opened.migratedFrom,
      };
      const view = readView(opened.view);
      if (view.theme && view.theme !== state.theme) deps.setTheme(view.theme);
      if (view.panel) state.panel = view.panel;
      // A different data set: nothing selected yet, so select() loads the restored one afresh.
      state.selectedId = undefined;
      state.analysis = undefined;
      const id = opened.dataset.utterances.some((u) => u.id === view.selectedId) ? view.selectedId : opened.dataset.utterances[0]?.id;
      const tuning = Promise.all([
        guard('tuning', () => api.call('sweepEndpoints', { datasetId: opened.analysis.datasetId, finalCutoffBudget: CUTOFF_BUDGETS.final, speculativeCutoffBudget: CUTOFF_BUDGETS.speculative })).then((s) => s && (state.sweep = markRaw(s))),
        deps.evaluateDraft(),
      ]);
      if (id) await deps.select(id);
      // select() framed the utterance; the saved zoom and scroll win over that, once the file's length is known (its audio may be missing).
      if (view.pxPerSec !== undefined && state.fileDurationS > 0) deps.setView({ ...state.view, pxPerSec: view.pxPerSec, scrollS: view.scrollS ?? state.view.scrollS });
      await tuning;
      return true;
    },

    /**
     * Opens the session an earlier run (or this window before a reload) autosaved; it stays
     * unsaved until given a file of its own, and keeps the name of the data set it came from.
     */
    async restoreAutosave(file = state.session.autosaveOffer): Promise<boolean> {
      const name = state.dataset?.name;
      if (!file || !(await session.open(file))) return false;
      if (name && state.dataset) state.dataset = markRaw({ ...state.dataset, name });
      state.session.path = null;
      state.session.autosaveFile = file;
      state.session.dirty = true;
      state.session.status = 'journaled';
      return true;
    },

    /** Not now, and not again for this same work (a later annotation makes it new work). */
    dismissAutosave(): void {
      const file = state.session.autosaveOffer;
      if (file) dismissAutosave(file, state.session.autosaveOfferAt ?? undefined);
      state.session.autosaveOffer = null;
    },

    /** Saves to the session's file; false when it has none yet (the caller asks for a path). */
    async save(): Promise<boolean> {
      const path = state.session.path;
      if (!path) return false;
      saving ??= writeSession(path).finally(() => (saving = null));
      return saving;
    },

    async saveAs(path: string): Promise<boolean> {
      await saving;
      return writeSession(path);
    },

    /** Writes the file when annotations wait only in the journal and there is a file to write. */
    async autosave(): Promise<void> {
      if (state.session.dirty && state.session.path && !saving) await session.save();
    },

    /** Starts the 30-second autosave; returns what stops it. */
    startAutosave(): () => void {
      const timer = setInterval(() => void session.autosave(), AUTOSAVE_EVERY_MS);
      return () => clearInterval(timer);
    },

    /**
     * Annotates an utterance. The host journals it and answers with the utterance re-scored
     * against it, which replaces that row so that the sidebar's WER and latency follow at once.
     */
    async annotate(utteranceId: string, patch: AnnotationPatch): Promise<void> {
      if (!state.datasetAnalysis?.utterances.some((u) => u.id === utteranceId)) {
        state.errors.session = 'analyse the data set first: annotations belong to its session';
        return;
      }
      const result = await guard('session', () => api.call('annotate', { utteranceId, patch }));
      if (!result) return;
      state.annotations[utteranceId] = result.annotation;
      if (state.datasetAnalysis) state.datasetAnalysis = markRaw(withSummary(state.datasetAnalysis, result.summary));
      state.sessionOutcomes = { ...state.sessionOutcomes, [utteranceId]: result.summary.endpoints };
      state.session.dirty = true;
      state.session.status = 'journaled';
      if (!state.session.path) state.session.autosaveFile = result.file || null;
      // The open utterance's workspace shows WER and latency too: fetch its re-scored analysis.
      const rescored = utteranceId === state.selectedId && (patch.correctedText !== undefined || patch.trueEndS !== undefined);
      await Promise.all([rescored ? deps.analyseSelected() : undefined, refreshEndpointMetrics(), deps.evaluateDraft(), session.autosave()]);
    },

    /** The files written come back to the export menu, which lists them. */
    async export(format: ExportFormat, outDir: string, includeAudio = false): Promise<string[] | undefined> {
      const result = await guard('session', () => api.call('exportSession', { format, outDir, includeAudio }));
      return result?.files;
    },

    /** Finds moved recordings by content in a folder; the session is saved and reopened to use them. */
    async relink(folder: string): Promise<void> {
      const result = await guard('session', () => api.call('relinkAudio', { folder }));
      if (!result) return;
      state.session.missingAudio = result.stillMissing;
      state.session.notice = `re-linked ${result.relinked} recording${result.relinked === 1 ? '' : 's'}${result.stillMissing.length ? `, ${result.stillMissing.length} still missing` : ''}`;
      const path = state.session.path;
      if (result.relinked > 0 && path && (await session.save())) {
        const notice = state.session.notice;
        await session.open(path);
        state.session.notice = notice;
      }
    },
  };
  return session;
}

export type SessionActions = ReturnType<typeof createSessionActions>;
