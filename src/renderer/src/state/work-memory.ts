import { endpointPairSchema, type EndpointPair } from '@shared/api';
import type { SortKey } from '../lib/utterance-rows';
import { copyKnobs, SIDE_PANELS, type SidePanel, type WorkbenchState } from './workbench-state';

/**
 * What the window was working on, kept in localStorage so that a reload (or the next start)
 * comes back to it: the data set or session file, whether it was analysed, the selection, the
 * knobs applied, the panel and the list's order. Annotations are not here: the host journals
 * each one (into the session file, or into the data set's autosave until there is one).
 */
export interface WorkMemory {
  datasetSource: string | null;
  datasetName: string | null;
  analysed: boolean;
  sessionPath: string | null;
  /** The autosave this window's unsaved annotations live in: restored silently, never offered back to it. */
  autosave: string | null;
  selectedId: string | null;
  /** Knobs applied to the session; `knobsUnsaved` while the session file does not hold them yet. */
  knobs: EndpointPair | null;
  knobsUnsaved: boolean;
  panel: SidePanel;
  table: { sortKey: SortKey; descending: boolean; filter: string };
  view: { pxPerSec: number; scrollS: number } | null;
}

const KEY = 'earshot-work';
/** Autosaves the researcher dismissed, by file and time written: the same work is never offered twice. */
const DISMISSED_KEY = 'earshot-dismissed-autosaves';
const SORT_KEYS: readonly SortKey[] = ['id', 'durationS', 'wer', 'oracleWer', 'latencyS', 'cutOff'];

/** `openedFrom`: the data set the researcher opened, which an autosave restored in its place stands for. */
export function captureWork(state: WorkbenchState, openedFrom: { source: string; name: string } | null): WorkMemory {
  return {
    datasetSource: openedFrom?.source ?? state.dataset?.source ?? null,
    datasetName: openedFrom?.name ?? state.dataset?.name ?? null,
    analysed: !!state.datasetAnalysis,
    sessionPath: state.session.path,
    autosave: state.session.path ? null : state.session.autosaveFile,
    selectedId: state.selectedId ?? null,
    knobs: state.sessionKnobs ? copyKnobs(state.sessionKnobs) : null,
    knobsUnsaved: state.session.knobsUnsaved,
    panel: state.panel,
    table: { ...state.table },
    view: state.fileDurationS > 0 ? { pxPerSec: state.view.pxPerSec, scrollS: state.view.scrollS } : null,
  };
}

export function rememberWork(memory: WorkMemory): void {
  localStorage.setItem(KEY, JSON.stringify(memory));
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The remembered work, keeping only what is valid (another version may have written it); null when there is none. */
export function recallWork(): WorkMemory | null {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object') return null;
  const knobs = endpointPairSchema.safeParse(raw.knobs);
  const table = (raw.table ?? {}) as Record<string, unknown>;
  const view = (raw.view ?? {}) as Record<string, unknown>;
  const pxPerSec = finite(view.pxPerSec);
  return {
    datasetSource: text(raw.datasetSource),
    datasetName: text(raw.datasetName),
    analysed: raw.analysed === true,
    sessionPath: text(raw.sessionPath),
    autosave: text(raw.autosave),
    selectedId: text(raw.selectedId),
    knobs: knobs.success ? knobs.data : null,
    knobsUnsaved: raw.knobsUnsaved === true && knobs.success,
    panel: SIDE_PANELS.find((p) => p === raw.panel) ?? 'tuning',
    table: {
      sortKey: SORT_KEYS.find((k) => k === table.sortKey) ?? 'id',
      descending: table.descending === true,
      filter: typeof table.filter === 'string' ? table.filter : '',
    },
    view: pxPerSec !== null && pxPerSec > 0 ? { pxPerSec, scrollS: finite(view.scrollS) ?? 0 } : null,
  };
}

const autosaveKey = (file: string, writtenAt: string | undefined): string => `${file}@${writtenAt ?? ''}`;

export function dismissAutosave(file: string, writtenAt: string | undefined): void {
  const list = dismissedAutosaves().filter((k) => !k.startsWith(`${file}@`));
  localStorage.setItem(DISMISSED_KEY, JSON.stringify([...list, autosaveKey(file, writtenAt)].slice(-50)));
}

export function wasDismissed(file: string, writtenAt: string | undefined): boolean {
  return dismissedAutosaves().includes(autosaveKey(file, writtenAt));
}

function dismissedAutosaves(): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(DISMISSED_KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}
