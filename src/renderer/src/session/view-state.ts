import { SIDE_PANELS, type SidePanel, type Theme, type WorkbenchState } from '../state/workbench-state';


/** What the window showed, saved in the session so that reopening shows it again. */
// A type, not an interface: it goes out as the contract's free-form `view` record.
export type SessionView = {
  selectedId?: string;
  pxPerSec?: number;
  scrollS?: number;
  panel?: SidePanel;
  theme?: Theme;
};

export function captureView(state: WorkbenchState): SessionView {
  return { selectedId: state.selectedId, pxPerSec: state.view.pxPerSec, scrollS: state.view.scrollS, panel: state.panel, theme: state.theme };
}

/** A session file's `view` is free-form JSON (another version may have written it): keep only what is valid. */
export function readView(view: Record<string, unknown>): SessionView {
  const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const pxPerSec = finite(view.pxPerSec);
  return {
    selectedId: typeof view.selectedId === 'string' ? view.selectedId : undefined,
    pxPerSec: pxPerSec !== undefined && pxPerSec > 0 ? pxPerSec : undefined,
    scrollS: finite(view.scrollS),
    panel: SIDE_PANELS.find((p) => p === view.panel),
    theme: view.theme === 'dark' || view.theme === 'light' ? view.theme : undefined,
  };
}
