import type { AnnotationPatch, Session } from '../../shared/domain/session';
import { annotate } from './annotations';
import { describeIssues } from './describe-issues';
import { openSession, type OpenedSession } from './open-session';
import type { PathGuard } from './path-guard';
import { appendJournal, journalPath, rewriteJournal, type JournalEntry } from './recovery-journal';
import { saveSession } from './save-session';
import { annotationPatchSchema } from './session-schema';
import { SessionError } from './session-error';

export interface AutosaveOptions {
  guard: PathGuard;
  /** Quiet time after the last change before saving (ms). */
  debounceMs?: number;
  now?: () => Date;
  onSaved?: (session: Session) => void;
  /** Errors of saves the timer started (explicit flush() calls reject instead). */
  onError?: (error: unknown) => void;
}

/**
 * Holds the open session, journals every annotation durably the moment it is made, and
 * saves the whole session after a quiet period. Saves run one at a time; journal writes run
 * one at a time on their own queue so an annotation never waits for a long save.
 */
export class SessionAutosaver {
  private current: Session;
  private dirty: boolean;
  private pending: JournalEntry[];
  private nextSeq: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private saves: Promise<void> = Promise.resolve();
  private journalOps: Promise<void> = Promise.resolve();
  private readonly journal: string;

  /** Opens `file`, applying recovered annotations; they are saved on the first flush. */
  static async open(file: string, options: AutosaveOptions): Promise<{ saver: SessionAutosaver; opened: OpenedSession }> {
    const opened = await openSession(file, options);
    return { saver: new SessionAutosaver(file, opened.session, options, opened.recovered), opened };
  }

  constructor(
    readonly file: string,
    session: Session,
    private readonly options: AutosaveOptions,
    recovered: readonly JournalEntry[] = [],
  ) {
    this.current = session;
    this.pending = [...recovered];
    this.dirty = recovered.length > 0;
    this.nextSeq = Math.max(session.journalSeq, ...recovered.map((e) => e.seq)) + 1;
    this.journal = journalPath(options.guard.check(file, 'the session file'));
  }

  get session(): Session {
    return this.current;
  }

  get hasUnsavedChanges(): boolean {
    return this.dirty;
  }

  /** Applies an annotation and resolves once it is safe in the recovery journal. */
  async annotate(utteranceId: string, patch: AnnotationPatch): Promise<Session> {
    const checked = annotationPatchSchema.safeParse(patch);
    if (!checked.success) throw new SessionError('invalid', this.file, `annotation rejected: ${describeIssues(checked.error)}`);
    this.current = annotate(this.current, utteranceId, checked.data, this.file);
    const entry: JournalEntry = { seq: this.nextSeq++, utteranceId, patch: checked.data, at: this.now().toISOString() };
    this.pending.push(entry);
    this.markDirty();
    await this.enqueueJournal(() => appendJournal(this.journal, entry));
    return this.current;
  }

  /** Any other change (results, view state); saved with the next save, not journaled. */
  update(change: (session: Session) => Session): Session {
    this.current = change(this.current);
    this.markDirty();
    return this.current;
  }

  /** Saves now if anything changed; resolves when the file (and the trimmed journal) is written. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.saves = this.saves.catch(() => undefined).then(() => this.saveNow());
    return this.saves;
  }

  /** Stops the timer and saves what is left. */
  async dispose(): Promise<void> {
    await this.flush();
    await this.journalOps;
  }

  private markDirty(): void {
    this.dirty = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.flush().catch((err: unknown) => this.options.onError?.(err));
    }, this.options.debounceMs ?? 1500);
    this.timer.unref?.();
  }

  private async saveNow(): Promise<void> {
    if (!this.dirty) return;
    const savedSeq = Math.max(this.current.journalSeq, ...this.pending.map((e) => e.seq));
    const snapshot: Session = { ...this.current, journalSeq: savedSeq, updatedAt: this.now().toISOString() };
    this.dirty = false;
    try {
      await saveSession(this.file, snapshot, this.options);
    } catch (err) {
      this.dirty = true;
      throw err;
    }
    this.current = { ...this.current, journalSeq: savedSeq, updatedAt: snapshot.updatedAt };
    this.pending = this.pending.filter((e) => e.seq > savedSeq);
    const left = this.pending;
    await this.enqueueJournal(() => rewriteJournal(this.journal, left));
    this.options.onSaved?.(this.current);
  }

  private enqueueJournal(op: () => Promise<void>): Promise<void> {
    const run = this.journalOps.catch(() => undefined).then(op);
    this.journalOps = run;
    return run;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
