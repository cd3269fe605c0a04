import { open, readFile, unlink } from 'node:fs/promises';
import { z } from 'zod';
import type { AnnotationPatch, Session } from '../../shared/domain/session';
import { annotate } from './annotations';
import { writeFileAtomic } from './atomic-write';
import { annotationPatchSchema } from './session-schema';
import { fsProblem } from './session-error';

/**
 * Annotations not yet saved, one JSON line each, appended and fsynced as they are made, in
 * `<session>.recovery`. A crash can tear only the last line, which reading skips. Entries
 * carry increasing sequence numbers; the session file records the highest one it contains
 * (`journalSeq`), so entries already saved are never applied twice.
 */
export interface JournalEntry {
  seq: number;
  utteranceId: string;
  patch: AnnotationPatch;
  at: string;
}

const entrySchema = z.object({ seq: z.int().positive(), utteranceId: z.string(), patch: annotationPatchSchema, at: z.string() });

export function journalPath(sessionFile: string): string {
  return `${sessionFile}.recovery`;
}

/** Entries in sequence order (a repeated sequence number keeps its first copy); bad lines counted, not thrown. */
export function parseJournal(text: string): { entries: JournalEntry[]; skipped: number } {
  const bySeq = new Map<number, JournalEntry>();
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let parsed: ReturnType<typeof entrySchema.safeParse>;
    try {
      parsed = entrySchema.safeParse(JSON.parse(line));
    } catch {
      skipped++;
      continue;
    }
    if (!parsed.success) skipped++;
    else if (!bySeq.has(parsed.data.seq)) bySeq.set(parsed.data.seq, parsed.data);
  }
  return { entries: [...bySeq.values()].sort((a, b) => a.seq - b.seq), skipped };
}

export async function readJournal(path: string): Promise<{ entries: JournalEntry[]; skipped: number }> {
  try {
    return parseJournal(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skipped: 0 };
    throw fsProblem(err, path, 'reading the recovery journal');
  }
}

/** Applies the entries the session does not contain yet; entries for unknown utterances are skipped. */
export function applyJournal(session: Session, entries: readonly JournalEntry[]): { session: Session; applied: JournalEntry[]; skipped: number } {
  let current = session;
  const applied: JournalEntry[] = [];
  let skipped = 0;
  for (const entry of entries) {
    if (entry.seq <= session.journalSeq) continue;
    if (!current.utterances.some((u) => u.id === entry.utteranceId)) {
      skipped++;
      continue;
    }
    current = annotate(current, entry.utteranceId, entry.patch);
    applied.push(entry);
  }
  return { session: current, applied, skipped };
}

/** Appends one entry and waits until it is on disk. */
export async function appendJournal(path: string, entry: JournalEntry): Promise<void> {
  const file = await open(path, 'a');
  try {
    // A leading newline ends a line torn by an earlier crash, so this entry stays readable.
    await file.write(`\n${JSON.stringify(entry)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Replaces the journal with `entries` (those a save did not cover), or removes it when none are left. */
export async function rewriteJournal(path: string, entries: readonly JournalEntry[]): Promise<void> {
  if (entries.length) {
    await writeFileAtomic(path, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    return;
  }
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}
