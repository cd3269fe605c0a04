import { basename, dirname } from 'node:path';
import type { Session } from '../../shared/domain/session';
import { removeOrphanTemps } from './orphan-temps';
import { loadSession } from './load-session';
import type { PathGuard } from './path-guard';
import { applyJournal, journalPath, readJournal, type JournalEntry } from './recovery-journal';

export interface OpenedSession {
  session: Session;
  migratedFrom: number | null;
  /** Unsaved annotations found in the recovery journal and applied; the session needs saving. */
  recovered: JournalEntry[];
  /** Journal lines that could not be used (torn by a crash, or for utterances that no longer exist). */
  recoverySkipped: number;
}

/**
 * Loads a session and applies the annotations a crash left unsaved; temp files of a save that
 * a crash interrupted are removed.
 */
export async function openSession(file: string, options: { guard: PathGuard }): Promise<OpenedSession> {
  const { session, migratedFrom } = await loadSession(file, options);
  const path = options.guard.check(file, 'the session file');
  await removeOrphanTemps(dirname(path), { of: basename(path) });
  const journal = await readJournal(journalPath(path));
  const applied = applyJournal(session, journal.entries);
  return { session: applied.session, migratedFrom, recovered: applied.applied, recoverySkipped: journal.skipped + applied.skipped };
}
