import type { MissingRecording } from '@shared/domain/workbench';

/**
 * Where the session's annotations stand. The host journals each annotation before `annotate`
 * answers, so an annotation is never only in the window: 'journaled' means recoverable after a
 * crash but not yet in the session file, 'saved' means written into the file.
 */
export type SaveStatus = 'new' | 'journaled' | 'saving' | 'saved' | 'failed';

export interface SessionState {
  /** The session file the researcher saved to or opened; null until there is one. */
  path: string | null;
  /** Annotations made since the file was last written. */
  dirty: boolean;
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

export function freshSession(autosaveOffer: string | null = null): SessionState {
  return { path: null, dirty: false, status: 'new', savedAt: null, autosaveOffer, missingAudio: [], recovered: 0, migratedFrom: null, notice: null };
}
