import type { MissingRecording } from '@shared/domain/workbench';

/**
 * Where the session's annotations stand. The host journals each annotation before `annotate`
 * answers, so an annotation is never only in the window: 'journaled' means recoverable after a
 * crash but not yet in the session file, 'changed' that only knobs or runs changed since (kept by the
 * window, not journaled), 'saved' means written into the file.
 */
export type SaveStatus = 'new' | 'journaled' | 'changed' | 'saving' | 'saved' | 'failed';

export interface SessionState {
  /** The session file the researcher saved to or opened; null until there is one. */
  path: string | null;
  /** Annotations, knobs or runs changed since the file was last written. */
  dirty: boolean;
  /** Knobs applied since the file was last written (annotations are journaled by the host; knobs are not). */
  knobsUnsaved: boolean;
  /** The autosave that holds this window's unsaved annotations while the session has no file. */
  autosaveFile: string | null;
  /** When the offered autosave was written: with its path, what tells one piece of unsaved work from another. */
  autosaveOfferAt: string | null;
  status: SaveStatus;
  savedAt: string | null;
  /** A session autosaved by an earlier run that ended without a save, offered back. */
  autosaveOffer: string | null;
  missingAudio: MissingRecording[];
  /** Unsaved annotations the host recovered from its journal when the session opened. */
  recovered: number;
  migratedFrom: number | null;
  /** What the last re-link did, for the researcher to read. */
  notice: string | null;
}

export function freshSession(autosaveOffer: string | null = null, autosaveOfferAt: string | null = null): SessionState {
  return {
    path: null,
    dirty: false,
    knobsUnsaved: false,
    autosaveFile: null,
    status: 'new',
    savedAt: null,
    autosaveOffer,
    autosaveOfferAt,
    missingAudio: [],
    recovered: 0,
    migratedFrom: null,
    notice: null,
  };
}

/** Knobs or runs changed: the window holds work the session file does not (the host journals only annotations). */
export function markSessionChanged(session: SessionState): void {
  session.dirty = true;
  if (session.status !== 'journaled') session.status = 'changed';
}
