import { markRaw, reactive } from 'vue';
import type { EarshotApi } from '@shared/api';
import type { CatalogListing, ModelListing, ModelProvenance, PullProgress } from '@shared/domain/models';
import type { ModelInfo } from '@shared/domain/workbench';

export interface PullState {
  progress: PullProgress | null;
  requestId: string;
}

export interface ModelsState {
  /** The model new decodes use. */
  activeDir?: string;
  active?: ModelInfo;
  /** A model is being loaded to become the active one. */
  switching: boolean;
  models: ModelListing[];
  catalog: CatalogListing[];
  /** Where downloads land. */
  userDir?: string;
  /** Downloads under way, by catalog name. */
  pulls: Record<string, PullState>;
  /** Messages per catalog or model name (a failed pull, a warning, a refused removal). */
  notes: Record<string, { kind: 'error' | 'warning'; text: string }>;
  error?: string;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Whether a result was made by a model other than the active one (a hash tells copies apart from changes). */
export function madeByOtherModel(made: ModelProvenance | undefined, activeDir: string | undefined): boolean {
  return !!made && !!activeDir && made.dir !== activeDir;
}

/**
 * The model picker's state: which model decodes, what the models folders hold, the catalog,
 * and downloads with their progress. The main store asks it which folder to decode with.
 */
export function createModelStore(api: EarshotApi) {
  const state = reactive<ModelsState>({ switching: false, models: [], catalog: [], pulls: {}, notes: {} });
  let pullCount = 0;

  async function refresh(): Promise<void> {
    try {
      const [listed, catalog] = await Promise.all([api.call('listModels', {}), api.call('listCatalog', {})]);
      state.models = markRaw(listed.models);
      state.userDir = listed.userDir;
      state.catalog = markRaw(catalog.models);
      delete state.error;
    } catch (error) {
      state.error = message(error);
    }
  }

  /** Makes `dir` the model new decodes use, once it loads; the previous one stays on failure. */
  async function choose(dir: string): Promise<boolean> {
    state.switching = true;
    try {
      const info = await api.call('getModelInfo', { modelDir: dir });
      state.active = markRaw(info);
      state.activeDir = dir;
      delete state.error;
      return true;
    } catch (error) {
      state.error = `${dir}: ${message(error)}`;
      return false;
    } finally {
      state.switching = false;
    }
  }

  async function pull(name: string): Promise<void> {
    const requestId = `pull-${name}-${++pullCount}`;
    state.pulls[name] = { progress: null, requestId };
    delete state.notes[name];
    try {
      const result = await api.call('pullModel', { name }, (event) => {
        if (event.kind === 'progress' && state.pulls[name]) state.pulls[name].progress = { phase: event.message as PullProgress['phase'], done: event.done, total: event.total };
      }, requestId);
      if (result.warning) state.notes[name] = { kind: 'warning', text: result.warning };
    } catch (error) {
      state.notes[name] = { kind: 'error', text: message(error) };
    } finally {
      delete state.pulls[name];
      await refresh();
    }
  }

  function cancelPull(name: string): void {
    const pull = state.pulls[name];
    if (pull) api.cancel(pull.requestId);
  }

  async function remove(name: string): Promise<void> {
    try {
      await api.call('removeModel', { name });
      delete state.notes[name];
    } catch (error) {
      state.notes[name] = { kind: 'error', text: message(error) };
    }
    await refresh();
  }

  return {
    state,
    /** The model a run starts on, then the folders and the catalog. */
    async start(dir: string): Promise<void> {
      // Decodes use it from the start; its description follows.
      state.activeDir = dir;
      await Promise.all([choose(dir), refresh()]);
    },
    refresh,
    choose,
    pull,
    cancelPull,
    remove,
  };
}

export type ModelStore = ReturnType<typeof createModelStore>;
