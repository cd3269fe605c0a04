import { markRaw, reactive } from 'vue';
import type { EarshotApi } from '@shared/api';
import type { Lattice } from '@shared/domain/decode';
import type { CloudRescoring } from '@shared/domain/rescore';
import type { UtteranceAnalysis } from '@shared/domain/workbench';

export interface CloudRescoreState {
  /** The lattice panel's "cloud" toggle. */
  enabled: boolean;
  loading: boolean;
  result: CloudRescoring | null;
  /** The first-pass lattice the result belongs to: a result for another utterance is never shown. */
  forLattice: Lattice | null;
  error: string | null;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The cloud toggle's state: what the host's language model made of the open utterance's lattice. */
export function createCloudRescore(api: EarshotApi) {
  const state = reactive<CloudRescoreState>({ enabled: false, loading: false, result: null, forLattice: null, error: null });

  async function refresh(analysis: UtteranceAnalysis): Promise<void> {
    const lattice = analysis.decode.lattice;
    if (!state.enabled || state.forLattice === lattice) return;
    state.loading = true;
    state.error = null;
    try {
      const nbest = analysis.decode.nbest.map((h) => ({ text: h.text, acousticScore: h.acousticScore, biasScore: h.biasScore }));
      const result = await api.call('rescoreLattice', { lattice: lattice as unknown as Record<string, unknown>, nbest });
      // The researcher may have moved on while the host worked.
      if (!state.enabled) return;
      state.result = markRaw(result);
      state.forLattice = markRaw(lattice);
    } catch (error) {
      state.error = message(error);
      state.result = null;
      state.forLattice = null;
    } finally {
      state.loading = false;
    }
  }

  return {
    state,
    refresh,
    /** Turning it on asks the host again: a language model may have been installed since. */
    async toggle(analysis: UtteranceAnalysis): Promise<void> {
      state.enabled = !state.enabled;
      state.forLattice = null;
      state.result = null;
      if (state.enabled) await refresh(analysis);
    },
    /** The lattice with LM scores on its arcs, while the toggle is on and the result is this lattice's. */
    latticeFor(analysis: UtteranceAnalysis): Lattice | undefined {
      const r = state.result;
      return state.enabled && r?.lm && state.forLattice === analysis.decode.lattice ? r.lattice : undefined;
    },
  };
}

export type CloudRescore = ReturnType<typeof createCloudRescore>;

const perApi = new WeakMap<EarshotApi, CloudRescore>();

/** One cloud state per connection, made on first use (the main store needs none of it). */
export function useCloudRescore(api: EarshotApi): CloudRescore {
  let cloud = perApi.get(api);
  if (!cloud) {
    cloud = createCloudRescore(api);
    perApi.set(api, cloud);
  }
  return cloud;
}
