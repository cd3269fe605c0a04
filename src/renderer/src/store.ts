import { inject, markRaw, reactive, ref, watch, type InjectionKey } from 'vue';
import type { ContextEntry, EndpointPair } from '@shared/api';
import type { Utterance } from '@shared/domain/session';
import type { DatasetAnalysis, PeaksData } from '@shared/domain/workbench';
import type { Connection } from './api/connect';
import { clampView, fitZoom, frameSpan, peaksPerSecondFor, visibleSpan, zoomAround, type TimeView } from './lib/time-scale';
import { formatContextList, parseContextList } from './lib/context-list';
import { sortAndFilter } from './lib/utterance-rows';
import { copyKnobs, CUTOFF_BUDGETS, type Area, type PlayerPort, type Theme, type WorkbenchState } from './state/workbench-state';
import { createSessionActions } from './session/session-actions';
import { decodeOptionsOf, leavesModelSettings } from './state/decode-settings';
import { createModelStore } from './models/model-store';
import { createRunStore } from './runs/run-store';
import { freshSession, markSessionChanged } from './session/session-state';
import { captureWork, recallWork, rememberWork, type WorkMemory } from './state/work-memory';
import { restoreWork } from './state/restore-work';
import { rememberRecent } from './state/recent';
import { createUnsavedGuard } from './state/unsaved-guard';

export { copyKnobs, CUTOFF_BUDGETS };
export type { Annotation, Area, PlayerPort, SidePanel, Theme, WorkbenchState } from './state/workbench-state';

/** Utterances longer than this are decoded only on request: a 3-hour file must open at once. */
const AUTO_ANALYSE_MAX_S = 600;
/** A data set is analysed on open only while its stated total stays below this. */
const AUTO_ANALYSE_DATASET_MAX_S = 1800;
/** The log-mel is requested for at most this span: 6,000 frames of 80 bins, about 4 MB of JSON. */
const SPECTROGRAM_MAX_SPAN_S = 60;
const SPECTROGRAM_FRAME_S = 0.01;

/** The host rounds to whole samples per peak, so the resolution it returns is a little off what was asked. */
const needsFinerPeaks = (peaks: PeaksData, pxPerSec: number, durationS: number): boolean => peaksPerSecondFor(pxPerSec, durationS) > peaks.peaksPerSecond * 1.05;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const baseName = (path: string): string => path.split(/[\\/]/).filter(Boolean).pop() ?? path;

/** Joins a file name to a folder the host gave, in that folder's own separator. */
function joinPath(folder: string, name: string): string {
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return folder.endsWith(sep) ? folder + name : folder + sep + name;
}

function initialTheme(): Theme {
  const saved = localStorage.getItem('earshot-theme');
  if (saved === 'dark' || saved === 'light') return saved;
  return window.matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function createStore({ api, mediaUrl, pathForFile, pickPath }: Connection) {
  const state = reactive<WorkbenchState>({
    opening: false,
    datasetProgress: null,
    sessionOutcomes: {},
    table: { sortKey: 'id', descending: false, filter: '' },
    analysing: false,
    fileDurationS: 0,
    view: { pxPerSec: 100, scrollS: 0, widthPx: 800 },
    playheadS: 0,
    playing: false,
    hoverSpan: null,
    annotations: {},
    evaluating: false,
    context: { text: '', shallowFusion: true, attentionBias: true, fusionBoost: null, maxSymbolsPerFrame: null, latticeBeam: null, lmWeight: null, lmBonus: null, tailPaddingS: null },
    rerun: null,
    lattice: { minPosterior: 0, selectedPath: [], hoverArc: null, nbestIndex: null },
    theme: initialTheme(),
    panel: 'tuning',
    shortcutsOpen: false,
    errors: {},
    session: freshSession(),
  });
  const models = createModelStore(api);
  let player: PlayerPort | null = null;
  /** The data set the researcher opened, which an autosave restored in its place stands for. */
  const openedFrom = ref<{ source: string; name: string } | null>(null);
  const unsaved = createUnsavedGuard(() => state.session);
  /** Monotonic tickets: a late answer to an older request never overwrites a newer one. */
  const latest = { select: 0, evaluate: 0, spectrogram: 0, peaks: 0 };
  /** One evaluation in flight at a time; moves made meanwhile send only the latest knobs when it returns. */
  let evaluation: Promise<void> | null = null;
  let evaluationWanted = false;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let spectrogramTimer: ReturnType<typeof setTimeout> | undefined;

  async function guard<T>(area: Area, work: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await work();
      delete state.errors[area];
      return result;
    } catch (error) {
      state.errors[area] = message(error);
      return undefined;
    }
  }

  const selected = (): Utterance | undefined => state.dataset?.utterances.find((u) => u.id === state.selectedId);
  /** Where the selected utterance starts in its file: decode times are relative to it. */
  const originS = (): number => selected()?.startS ?? 0;
  const contextEntries = (): ContextEntry[] => parseContextList(state.context.text).entries;

  /**
   * The utterance as the editor and the annotations say: the context editor's list is the
   * whole list (the host would otherwise add the data set's lists back), and a marked true
   * end replaces the reference end.
   */
  function utteranceForAnalysis(u: Utterance): Utterance {
    const trueEndS = state.annotations[u.id]?.trueEndS;
    return { ...u, context: undefined, ...(trueEndS === undefined ? {} : { speechEndS: trueEndS }) };
  }

  /** The data set's cached decode serves while the researcher has changed nothing that needs a new one. */
  function cachedAnalysisServes(u: Utterance): boolean {
    const defaultContext = formatContextList((u.context ?? []).map((phrase) => ({ phrase })));
    const c = state.context;
    const madeBy = state.datasetAnalysis?.model?.dir;
    return !!state.datasetAnalysis && (madeBy === undefined || madeBy === models.state.activeDir) && c.text === defaultContext && leavesModelSettings(c);
  }

  function setView(next: TimeView): void {
    const clamped = clampView(next, state.fileDurationS || 1);
    const before = state.view.pxPerSec;
    state.view = clamped;
    if (state.peaks && needsFinerPeaks(state.peaks, clamped.pxPerSec, state.fileDurationS) && clamped.pxPerSec > before) void loadPeaks();
    scheduleSpectrogram();
  }

  async function loadPeaks(): Promise<void> {
    const u = selected();
    if (!u) return;
    const ticket = ++latest.peaks;
    const duration = state.fileDurationS || u.durationS || 0;
    // Before the file's length is known, ask for the fit-to-width resolution of what the data set states.
    const pxPerSec = state.fileDurationS ? state.view.pxPerSec : fitZoom(duration, state.view.widthPx);
    const peaksPerSecond = duration ? peaksPerSecondFor(pxPerSec, duration) : 1;
    const peaks = await guard('waveform', () => api.call('getPeaks', { path: u.audio, peaksPerSecond }));
    if (!peaks || ticket !== latest.peaks) return;
    state.peaks = markRaw(peaks);
    if (!state.fileDurationS) {
      state.fileDurationS = peaks.durationS;
      const endS = u.endS ?? peaks.durationS;
      state.view = frameSpan(state.view, u.startS ?? 0, endS, peaks.durationS);
      // The first answer was at the coarsest resolution; ask again for what the zoom needs.
      if (needsFinerPeaks(peaks, state.view.pxPerSec, peaks.durationS)) void loadPeaks();
      scheduleSpectrogram();
    }
  }

  /** The log-mel of the visible span and some either side, fetched once the view settles. */
  function scheduleSpectrogram(): void {
    clearTimeout(spectrogramTimer);
    spectrogramTimer = setTimeout(() => void loadSpectrogram(), 120);
  }

  async function loadSpectrogram(): Promise<void> {
    const u = selected();
    if (!u || !state.fileDurationS) return;
    const { startS, endS } = visibleSpan(state.view);
    // Wider than this, the log-mel would be a smear and a heavy payload: zooming in brings it back.
    if (endS - startS > SPECTROGRAM_MAX_SPAN_S) {
      state.spectrogram = undefined;
      return;
    }
    const have = state.spectrogram;
    if (have && have.startS <= startS && have.startS + have.numFrames * have.frameShiftS >= Math.min(endS, state.fileDurationS - 0.05)) return;
    // A margin either side (up to the span budget) so that small scrolls need no new request.
    const margin = Math.max(0, (SPECTROGRAM_MAX_SPAN_S - (endS - startS)) / 2);
    const from = Math.max(0, startS - margin);
    const to = Math.min(state.fileDurationS, endS + margin);
    const ticket = ++latest.spectrogram;
    // The engine returns 10 ms frames and shortens the span to maxFrames: ask for all of it.
    const maxFrames = Math.ceil((to - from) / SPECTROGRAM_FRAME_S) + 1;
    const data = await guard('spectrogram', () => api.call('getSpectrogram', { path: u.audio, startS: from, endS: to, maxFrames }));
    if (data && ticket === latest.spectrogram) state.spectrogram = markRaw(data);
  }

  async function analyseSelected(options: { fresh?: boolean } = {}): Promise<void> {
    const u = selected();
    if (!u) return;
    const ticket = latest.select;
    const datasetId = state.datasetAnalysis?.datasetId;
    state.analysing = true;
    const analysis = await guard('analysis', () =>
      datasetId && !options.fresh && cachedAnalysisServes(u)
        ? api.call('getUtteranceAnalysis', { datasetId, utteranceId: u.id })
        : api.call('analyzeUtterance', {
            utterance: utteranceForAnalysis(u),
            modelDir: models.state.activeDir,
            decoding: decodeOptionsOf(state.context, contextEntries()),
            endpoints: state.sessionKnobs,
          }),
    );
    if (ticket !== latest.select) return;
    state.analysing = false;
    if (!analysis) return;
    state.analysis = markRaw(analysis);
    state.lattice.selectedPath = [];
    if (!state.sessionKnobs) {
      // The host's default pair becomes the session's until the researcher tunes it.
      state.sessionKnobs = copyKnobs(analysis.knobs);
      state.draftKnobs = copyKnobs(analysis.knobs);
      void evaluateDraft();
    }
  }

  /**
   * A dragged slider sends a burst of values: the first goes at once (no debounce delay), and
   * those that arrive while it is evaluated collapse into one request with the latest knobs.
   */
  function requestEvaluation(): void {
    evaluationWanted = true;
    clearTimeout(refreshTimer);
    if (evaluation) return;
    evaluation = (async () => {
      while (evaluationWanted) {
        evaluationWanted = false;
        // While thresholds move: the metrics and the open utterance's outcome only.
        await evaluateDraft(state.selectedId ? [state.selectedId] : []);
      }
      evaluation = null;
      // Once they rest, every utterance's outcome for the list.
      refreshTimer = setTimeout(() => void evaluateDraft(), 150);
    })();
  }

  /** Evaluates the draft knobs; with `outcomeIds`, the answer's outcomes replace those utterances' only. */
  async function evaluateDraft(outcomeIds?: string[]): Promise<void> {
    const datasetId = state.datasetAnalysis?.datasetId;
    if (!datasetId || !state.draftKnobs) return;
    const ticket = ++latest.evaluate;
    state.evaluating = true;
    const result = await guard('tuning', () => api.call('evaluateEndpoints', { datasetId, endpoints: copyKnobs(state.draftKnobs!), outcomeIds }));
    if (ticket !== latest.evaluate) return;
    state.evaluating = false;
    if (!result) return;
    const previous = state.evaluation;
    if (outcomeIds && previous) {
      const fresh = new Map(result.outcomes.map((o) => [o.id, o]));
      state.evaluation = markRaw({ metrics: result.metrics, outcomes: previous.outcomes.map((o) => fresh.get(o.id) ?? o) });
    } else {
      state.evaluation = markRaw(result);
    }
  }

  /** Opens a folder or manifest; analyses it when asked to or when it is short. */
  async function openDatasetNow(path: string, options: { analyse?: boolean } = {}): Promise<void> {
    state.opening = true;
    const dataset = await guard('dataset', () => api.call('openDataset', { path }));
    state.opening = false;
    if (!dataset) return;
    rememberRecent('datasets', dataset.source);
    openedFrom.value = { source: dataset.source, name: dataset.name };
    state.dataset = markRaw(dataset);
    session.startFresh(dataset);
    state.datasetAnalysis = undefined;
    state.sessionOutcomes = {};
    state.evaluation = undefined;
    state.sweep = undefined;
    state.recordings = undefined;
    await statedDurations();
    const first = dataset.utterances[0];
    const select = first ? store.select(first.id) : Promise.resolve();
    const totalS = (state.dataset?.utterances ?? []).reduce((sum, u) => sum + (u.durationS ?? (u.endS ?? NaN) - (u.startS ?? 0)), 0);
    if (options.analyse || totalS <= AUTO_ANALYSE_DATASET_MAX_S) await Promise.all([select, store.analyseDataset()]);
    else await select;
  }

  /**
   * A manifest often states no durations: the recordings' headers give them (no decoding), so
   * the list shows them before analysis and a short data set is analysed on open.
   */
  async function statedDurations(): Promise<void> {
    const dataset = state.dataset;
    if (!dataset || dataset.utterances.every((u) => u.durationS !== undefined || u.endS !== undefined)) return;
    await store.listRecordings();
    const lengths = new Map((state.recordings?.recordings ?? []).map((r) => [r.path, r.durationS]));
    if (state.dataset !== dataset || lengths.size === 0) return;
    const utterances = dataset.utterances.map((u) => {
      const fileS = lengths.get(u.audio);
      return u.durationS !== undefined || u.endS !== undefined || fileS === undefined ? u : { ...u, durationS: Math.max(0, fileS - (u.startS ?? 0)) };
    });
    state.dataset = markRaw({ ...dataset, utterances });
  }

  /** Knobs applied to the session: the host re-scores with them, and the session is changed until saved. */
  async function applyKnobsNow(pair: EndpointPair): Promise<void> {
    const knobs = copyKnobs(pair);
    state.sessionKnobs = knobs;
    markSessionChanged(state.session);
    state.session.knobsUnsaved = true;
    const datasetId = state.datasetAnalysis?.datasetId;
    if (datasetId) {
      await guard('tuning', () => api.call('applyEndpoints', { endpoints: copyKnobs(knobs) }));
      // The draft's evaluation may hold only the open utterance's outcome (threshold moves ask for
      // no more), so the sidebar's rows and summary come from the whole data set under these knobs.
      const result = await guard('tuning', () => api.call('evaluateEndpoints', { datasetId, endpoints: copyKnobs(knobs) }));
      // The answer is dropped if the knobs were applied again or another data set opened meanwhile.
      if (result && JSON.stringify(state.sessionKnobs) === JSON.stringify(knobs) && state.datasetAnalysis?.datasetId === datasetId) {
        state.sessionOutcomes = Object.fromEntries(result.outcomes.map((o) => [o.id, o]));
        state.datasetAnalysis = markRaw({ ...state.datasetAnalysis, endpointMetrics: result.metrics });
      }
    }
    await session.autosave();
  }

  /** A data set's analysis (a run) in the sidebar and the tuning panel: its rows, its sweep and the draft knobs evaluated on it. */
  async function showDatasetAnalysis(analysis: DatasetAnalysis): Promise<void> {
    state.datasetAnalysis = markRaw(analysis);
    state.sessionOutcomes = Object.fromEntries(analysis.utterances.map((u) => [u.id, u.endpoints]));
    await Promise.all([guard('tuning', () => api.call('sweepEndpoints', { datasetId: analysis.datasetId, finalCutoffBudget: CUTOFF_BUDGETS.final, speculativeCutoffBudget: CUTOFF_BUDGETS.speculative })).then((s) => s && (state.sweep = markRaw(s))), evaluateDraft()]);
  }

  const runs = createRunStore({
    state,
    api,
    guard,
    activeModelDir: () => models.state.activeDir,
    showDatasetAnalysis,
    reloadSelected: () => analyseSelected({ fresh: false }),
  });

  const session = createSessionActions({
    state,
    api,
    guard,
    select: (id) => store.select(id),
    analyseSelected: () => analyseSelected(),
    evaluateDraft: () => evaluateDraft(),
    setView,
    setTheme: (theme) => theme !== state.theme && store.toggleTheme(),
  });

  const store = {
    state,
    api,
    mediaUrl,
    pathForFile,
    session,
    models,
    runs,

    /**
     * Comes back to what the window was working on before a reload or a restart (work-memory.ts);
     * the first time, opens the demo manifest and analyses it.
     */
    async start(): Promise<void> {
      document.documentElement.dataset.theme = state.theme;
      state.defaults = await guard('dataset', () => api.call('getDefaults', {}));
      if (!state.defaults) return;
      void models.start(state.defaults.modelDir);
      const memory = recallWork();
      const restored = memory
        ? await restoreWork(memory, {
            state,
            session,
            openDataset: openDatasetNow,
            evaluateDraft,
            applyKnobs: applyKnobsNow,
            select: (id) => store.select(id),
            setView,
            setOpenedFrom: (from) => (openedFrom.value = from),
          })
        : false;
      if (!restored) await openDatasetNow(joinPath(state.defaults.demoFolder, 'manifest.jsonl'), { analyse: true });
      // From here on every change is remembered; not before, so a half-done restore never overwrites the memory.
      watch(
        () => JSON.stringify(captureWork(state, openedFrom.value)),
        (json) => rememberWork(JSON.parse(json) as WorkMemory),
        { immediate: true },
      );
    },

    /** Opens a folder or manifest, asking first when the session has unsaved changes. */
    openDataset(path: string, options: { analyse?: boolean } = {}): Promise<void> {
      return unsaved.leave(`open ${baseName(path)}`, () => openDatasetNow(path, options));
    },

    /** Opens a session file, asking first when the session in hand has unsaved changes. */
    openSession(path: string): Promise<void> {
      return unsaved.leave(`open ${baseName(path)}`, async () => {
        if (await session.open(path)) openedFrom.value = null;
      });
    },
    unsaved,
    /** The shell's native dialog (Electron); undefined in a browser, where the folder browser serves. */
    pickPath,

    /** Lists the data set's recordings (wherever below its folder they sit): duration, sample rate and channels from each header. */
    async listRecordings(): Promise<void> {
      const dataset = state.dataset;
      if (!dataset || state.recordings?.folder === dataset.folder) return;
      const files = [...new Set(dataset.utterances.map((u) => u.audio))];
      const list = await guard('dataset', () => api.call('listRecordings', { folder: dataset.folder, ...(files.length ? { files } : {}) }));
      if (list && state.dataset === dataset) state.recordings = markRaw(list);
    },

    /** Decodes the whole data set in the host, then sweeps and evaluates the end-pointers on it. */
    async analyseDataset(): Promise<void> {
      const dataset = state.dataset;
      if (!dataset) return;
      state.datasetProgress = { done: 0, total: dataset.utterances.length };
      const analysis = await guard('dataset', () =>
        api.call('analyzeDataset', { datasetId: dataset.id, modelDir: models.state.activeDir, endpoints: state.sessionKnobs }, (event) => {
          if (event.kind === 'progress') state.datasetProgress = { done: event.done, total: event.total };
        }),
      );
      state.datasetProgress = null;
      if (!analysis || state.dataset?.id !== dataset.id) return;
      await showDatasetAnalysis(analysis);
    },

    async select(id: string): Promise<void> {
      const u = state.dataset?.utterances.find((x) => x.id === id);
      if (!u || (id === state.selectedId && state.analysis)) return;
      latest.select += 1;
      const sameFile = selected()?.audio === u.audio;
      state.selectedId = id;
      state.analysis = undefined;
      state.rerun = null;
      state.hoverSpan = null;
      state.lattice.selectedPath = [];
      state.playheadS = u.startS ?? 0;
      state.context.text = formatContextList((u.context ?? []).map((phrase) => ({ phrase })));
      if (!sameFile) {
        state.peaks = undefined;
        state.spectrogram = undefined;
        state.fileDurationS = 0;
      } else {
        state.view = frameSpan(state.view, u.startS ?? 0, u.endS ?? state.fileDurationS, state.fileDurationS);
        scheduleSpectrogram();
      }
      const peaks = sameFile ? Promise.resolve() : loadPeaks();
      const spanS = (u.endS ?? u.durationS ?? Infinity) - (u.startS ?? 0);
      await peaks;
      const knownSpan = Number.isFinite(spanS) ? spanS : state.fileDurationS - (u.startS ?? 0);
      if (knownSpan <= AUTO_ANALYSE_MAX_S) await analyseSelected();
    },

    /** Decodes the selected utterance now, however long it is. */
    analyseSelected,

    /** After a model switch, when the researcher asks: the data set and the open utterance with the active model. */
    async reanalyse(): Promise<void> {
      await store.analyseDataset();
      await analyseSelected();
    },

    /** j/k: the next or previous utterance in the sidebar's current order. */
    step(delta: 1 | -1): void {
      const rows = sortAndFilter(state);
      if (rows.length === 0) return;
      const at = rows.findIndex((r) => r.id === state.selectedId);
      const next = rows[Math.min(rows.length - 1, Math.max(0, at + delta))];
      if (next) void store.select(next.id);
    },

    registerPlayer(port: PlayerPort | null): void {
      player = port;
    },
    playPause(): void {
      player?.playPause();
    },
    /** Seeks the audio to a file time (s). */
    seek(timeS: number): void {
      state.playheadS = timeS;
      player?.seek(timeS);
    },
    /** Seeks to a time relative to the utterance start (decode and end-pointer times). */
    seekUtterance(timeS: number): void {
      store.seek(originS() + timeS);
    },
    originS,

    setView,
    setPlayback(timeS: number, playing: boolean): void {
      state.playheadS = timeS;
      state.playing = playing;
    },
    setTrackWidth(widthPx: number): void {
      if (Math.abs(widthPx - state.view.widthPx) < 1) return;
      const { startS, endS } = visibleSpan(state.view);
      const wasFit = state.view.pxPerSec <= fitZoom(state.fileDurationS || 1, state.view.widthPx) * 1.0001;
      state.view = { ...state.view, widthPx };
      setView(wasFit ? { ...state.view, pxPerSec: 0 } : frameSpan(state.view, startS, endS, state.fileDurationS || endS));
    },
    /** +/-: zoom by a factor around the playhead when it is visible, else the centre. */
    zoomBy(factor: number, anchorX?: number): void {
      const playX = (state.playheadS - state.view.scrollS) * state.view.pxPerSec;
      const anchor = anchorX ?? (playX >= 0 && playX <= state.view.widthPx ? playX : state.view.widthPx / 2);
      setView(zoomAround(state.view, factor, anchor, state.fileDurationS || 1));
    },
    scrollBy(seconds: number): void {
      setView({ ...state.view, scrollS: state.view.scrollS + seconds });
    },
    setHoverSpan(span: { startS: number; endS: number } | null): void {
      state.hoverSpan = span;
    },

    /**
     * The researcher dragged the reference end. In an analysed data set it is an annotation of
     * the session (the host re-scores the cached decode against it); otherwise the utterance is
     * re-analysed with it.
     */
    async annotateTrueEnd(timeS: number): Promise<void> {
      const id = state.selectedId;
      if (!id) return;
      const trueEndS = Math.max(0, timeS);
      if (state.datasetAnalysis) return session.annotate(id, { trueEndS });
      state.annotations[id] = { ...state.annotations[id], trueEndS };
      return analyseSelected();
    },

    setDraftKnobs(pair: EndpointPair): void {
      state.draftKnobs = pair;
      requestEvaluation();
    },
    /** "Apply to session": the workspace and the sidebar now use the tuned knobs. */
    async applyKnobs(): Promise<void> {
      if (state.draftKnobs) await applyKnobsNow(state.draftKnobs);
    },
    recommendedKnobs(): EndpointPair | null {
      const sweep = state.sweep;
      if (!sweep?.recommended) return null;
      return { speculative: sweep.points[sweep.recommended.speculative].knobs, final: sweep.points[sweep.recommended.final].knobs };
    },

    /** Re-decodes the selected utterance with the edited context list; keeps the old 1-best to diff. */
    async rerunWithContext(): Promise<void> {
      const before = state.analysis?.decode.hyp ?? '';
      await guard('context', () => analyseSelected({ fresh: true }));
      if (state.analysis) state.rerun = { before, after: state.analysis.decode.hyp };
    },

    async exportLattice(format: 'slf' | 'json'): Promise<{ text: string; mimeType: string; extension: string } | undefined> {
      const lattice = state.analysis?.decode.lattice;
      if (!lattice) return undefined;
      return guard('export', () => api.call('formatLattice', { lattice: lattice as unknown as Record<string, unknown>, format }));
    },

    toggleTheme(): void {
      state.theme = state.theme === 'dark' ? 'light' : 'dark';
      document.documentElement.dataset.theme = state.theme;
      localStorage.setItem('earshot-theme', state.theme);
    },
  };
  return store;
}

export type Store = ReturnType<typeof createStore>;
export const storeKey: InjectionKey<Store> = Symbol('earshot-store');

export function useStore(): Store {
  const store = inject(storeKey);
  if (!store) throw new Error('the Earshot store is not provided');
  return store;
}
