import { markRaw } from 'vue';
import type { EndpointPair } from '@shared/api';
import type { TimeView } from '../lib/time-scale';
import type { SessionActions } from '../session/session-actions';
import type { WorkMemory } from './work-memory';
import { copyKnobs, type WorkbenchState } from './workbench-state';

/** What coming back to remembered work needs from the store. */
export interface RestoreDeps {
  state: WorkbenchState;
  session: Pick<SessionActions, 'open' | 'restoreAutosave'>;
  openDataset(path: string, options: { analyse?: boolean }): Promise<void>;
  evaluateDraft(): Promise<void>;
  applyKnobs(pair: EndpointPair): Promise<void>;
  select(id: string): Promise<void>;
  setView(view: TimeView): void;
  setOpenedFrom(from: { source: string; name: string } | null): void;
}

/** Back to the remembered work: its session file, its autosave, or its data set; false when none opens. */
export async function restoreWork(memory: WorkMemory, deps: RestoreDeps): Promise<boolean> {
  const { state, session } = deps;
  // Shown at once, and again at the end: a session file opened on the way applies its own view.
  state.panel = memory.panel;
  state.table = { ...memory.table };
  if (memory.sessionPath && (await session.open(memory.sessionPath))) {
    deps.setOpenedFrom(null);
  } else if (memory.autosave && (await session.restoreAutosave(memory.autosave))) {
    // The window's own unsaved work: back without asking, under its data set's name.
    if (memory.datasetSource && memory.datasetName) {
      deps.setOpenedFrom({ source: memory.datasetSource, name: memory.datasetName });
      if (state.dataset) state.dataset = markRaw({ ...state.dataset, name: memory.datasetName });
    }
  } else if (memory.datasetSource) {
    if (memory.knobs) {
      state.sessionKnobs = copyKnobs(memory.knobs);
      state.draftKnobs = copyKnobs(memory.knobs);
    }
    await deps.openDataset(memory.datasetSource, { analyse: memory.analysed });
    if (!state.dataset) return false;
  } else {
    return false;
  }
  if (memory.knobs && memory.knobsUnsaved && state.datasetAnalysis) {
    state.draftKnobs = copyKnobs(memory.knobs);
    await deps.evaluateDraft();
    await deps.applyKnobs(memory.knobs);
  }
  if (memory.selectedId && memory.selectedId !== state.selectedId && state.dataset?.utterances.some((u) => u.id === memory.selectedId)) await deps.select(memory.selectedId);
  if (memory.view && state.fileDurationS > 0) deps.setView({ ...state.view, ...memory.view });
  // After the session file's own view: what the window showed last wins.
  state.panel = memory.panel;
  return true;
}
