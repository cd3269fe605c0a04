import { inject, reactive, type InjectionKey } from 'vue';
import type { AppDefaults, EarshotApi, RecordingList } from '@shared/api';

/** The renderer's one place for state; views read it and call its actions. */
export interface WorkbenchState {
  defaults?: AppDefaults;
  recordings?: RecordingList;
  loading: boolean;
  error?: string;
}

export function createStore(api: EarshotApi) {
  const state = reactive<WorkbenchState>({ loading: false });

  async function track<T>(work: () => Promise<T>): Promise<T | undefined> {
    state.loading = true;
    state.error = undefined;
    try {
      return await work();
    } catch (error) {
      state.error = error instanceof Error ? error.message : String(error);
      return undefined;
    } finally {
      state.loading = false;
    }
  }

  return {
    state,
    api,
    async start(): Promise<void> {
      state.defaults = await track(() => api.call('getDefaults', {}));
      if (state.defaults) await this.openFolder(state.defaults.demoFolder);
    },
    async openFolder(folder: string): Promise<void> {
      const list = await track(() => api.call('listRecordings', { folder }));
      if (list) state.recordings = list;
    },
  };
}

export type Store = ReturnType<typeof createStore>;
export const storeKey: InjectionKey<Store> = Symbol('earshot-store');

export function useStore(): Store {
  const store = inject(storeKey);
  if (!store) throw new Error('the Earshot store is not provided');
  return store;
}
