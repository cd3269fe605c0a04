import { markRaw, reactive, watch } from 'vue';
import type { ContextEntry, DecodeOptions, EarshotApi, EndpointPair } from '@shared/api';
import type { DatasetAnalysis } from '@shared/domain/workbench';
import type { RunComparison, RunList } from '@shared/domain/runs';
import type { Area, WorkbenchState } from '../state/workbench-state';
import { copyKnobs } from '../state/workbench-state';
import { decodeOptionsOf, type SearchSettings } from '../state/decode-settings';
import { markSessionChanged } from '../session/session-state';
import type { RowFilter } from './ab-rows';

/** What "Re-run data set…" asks for: the change a new run makes (its lattices keep the default beam). */
export interface RerunRequest extends Omit<SearchSettings, 'latticeBeam' | 'tailPaddingS'> {
  name: string;
  contextMode: 'per-utterance' | 'list';
  context: ContextEntry[];
  beam: number;
}

/** What the run store needs from the main store. */
export interface RunDeps {
  state: WorkbenchState;
  api: EarshotApi;
  guard<T>(area: Area, work: () => Promise<T>): Promise<T | undefined>;
  activeModelDir(): string | undefined;
  /** Shows a data-set analysis in the sidebar and the tuning panel (and re-sweeps). */
  showDatasetAnalysis(analysis: DatasetAnalysis): Promise<void>;
  /** Decodes the open utterance again (its cached analysis now belongs to another run). */
  reloadSelected(): Promise<void>;
}

export interface RunStoreState {
  list: RunList;
  /** A re-run under way, with its request id for Cancel. */
  rerun: { requestId: string; done: number; total: number; name: string } | null;
  /** The runs the A/B view compares. */
  a: string | null;
  b: string | null;
  comparison: RunComparison | null;
  comparing: boolean;
  /** The A/B view is shown in place of the utterance workspace. */
  abOpen: boolean;
  filter: RowFilter;
  abSelected: string | null;
}

let requests = 0;

/** The session's named runs: list, re-run, select, rename, delete, and the A/B comparison of two. */
export function createRunStore(deps: RunDeps) {
  const { state, api, guard } = deps;
  const runs = reactive<RunStoreState>({ list: { runs: [], selected: null }, rerun: null, a: null, b: null, comparison: null, comparing: false, abOpen: false, filter: 'all', abSelected: null });
  let listTicket = 0;

  function showList(list: RunList): void {
    runs.list = markRaw(list);
    const ids = new Set(list.runs.map((r) => r.id));
    if (!runs.a || !ids.has(runs.a)) runs.a = list.runs[0]?.id ?? null;
    if (!runs.b || !ids.has(runs.b)) runs.b = list.runs.at(-1)?.id ?? null;
    if (runs.comparison && (!ids.has(runs.comparison.a.id) || !ids.has(runs.comparison.b.id))) runs.comparison = null;
  }

  async function refresh(): Promise<void> {
    const ticket = ++listTicket;
    const list = await guard('runs', () => api.call('listRuns', {}));
    if (list && ticket === listTicket) showList(list);
  }

  // Every new data-set analysis (a run made, a session opened, an annotation re-scored) may change the runs and their WERs.
  watch(
    () => state.datasetAnalysis,
    (analysis) => (analysis ? void refresh() : showList({ runs: [], selected: null })),
  );

  const store = {
    state: runs,
    refresh,

    /** Decodes the whole data set with the change asked for, as a new named run that becomes the selected one. */
    async rerun(request: RerunRequest): Promise<void> {
      const dataset = state.dataset;
      if (!dataset || runs.rerun) return;
      const requestId = `rerun-${++requests}-${Date.now()}`;
      const before = runs.list.selected;
      runs.rerun = { requestId, done: 0, total: dataset.utterances.length, name: request.name };
      const decoding: Partial<DecodeOptions> = { beam: request.beam, ...decodeOptionsOf({ ...request, latticeBeam: null, tailPaddingS: null }, request.context) };
      const endpoints: EndpointPair | undefined = state.sessionKnobs ? copyKnobs(state.sessionKnobs) : undefined;
      const analysis = await guard('runs', () =>
        api.call(
          'analyzeDataset',
          { datasetId: dataset.id, modelDir: deps.activeModelDir(), decoding, endpoints, runName: request.name, contextMode: request.contextMode },
          (event) => {
            if (event.kind === 'progress' && runs.rerun?.requestId === requestId) runs.rerun = { ...runs.rerun, done: event.done, total: event.total };
          },
          requestId,
        ),
      );
      runs.rerun = null;
      if (!analysis || state.dataset?.id !== dataset.id) return;
      markSessionChanged(state.session);
      await deps.showDatasetAnalysis(analysis);
      await Promise.all([refresh(), deps.reloadSelected()]);
      // The new run is B against the run that was selected before.
      if (before) runs.a = before;
      if (runs.list.selected) runs.b = runs.list.selected;
    },

    /** Stops a re-run: its threads end, and the selected run stays as it was. */
    cancelRerun(): void {
      if (runs.rerun) api.cancel(runs.rerun.requestId);
    },

    async select(runId: string): Promise<void> {
      const result = await guard('runs', () => api.call('selectRun', { runId }));
      if (!result) return;
      state.sessionKnobs = copyKnobs(result.knobs);
      state.draftKnobs = copyKnobs(result.knobs);
      markSessionChanged(state.session);
      showList(result.runs);
      await deps.showDatasetAnalysis(result.analysis);
      await deps.reloadSelected();
    },

    async rename(runId: string, name: string): Promise<void> {
      const list = await guard('runs', () => api.call('renameRun', { runId, name }));
      if (!list) return;
      markSessionChanged(state.session);
      showList(list);
      if (runs.comparison) await store.compare();
    },

    async remove(runId: string): Promise<void> {
      const list = await guard('runs', () => api.call('deleteRun', { runId }));
      if (!list) return;
      markSessionChanged(state.session);
      showList(list);
    },

    /** Compares run A with run B and opens the A/B view. */
    async compare(): Promise<void> {
      const { a, b } = runs;
      if (!a || !b) return;
      runs.comparing = true;
      const result = await guard('runs', () => api.call('compareRuns', { runA: a, runB: b }));
      runs.comparing = false;
      if (!result) return;
      runs.comparison = markRaw(result);
      runs.abOpen = true;
      // The first utterance the change made a difference to is the one to look at first.
      const rows = result.comparison.rows;
      if (!rows.some((r) => r.id === runs.abSelected)) runs.abSelected = (rows.find((r) => r.verdict === 'better' || r.verdict === 'worse') ?? rows[0])?.id ?? null;
    },
  };
  return store;
}

export type RunStore = ReturnType<typeof createRunStore>;
