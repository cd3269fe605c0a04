import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionAutosaver } from '../../../src/engine/session/autosave';
import { loadSession } from '../../../src/engine/session/load-session';
import { openSession } from '../../../src/engine/session/open-session';
import { PathGuard } from '../../../src/engine/session/path-guard';
import { journalPath } from '../../../src/engine/session/recovery-journal';
import { saveSession } from '../../../src/engine/session/save-session';
import { sampleSession } from './session-fixtures';

let dir: string;
let guard: PathGuard;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-autosave-'));
  guard = new PathGuard([dir]);
  file = join(dir, 'session.json');
  await saveSession(file, sampleSession(), { guard });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('autosave and recovery', () => {
  it('journals each annotation at once and saves after a quiet period', async () => {
    const saved: number[] = [];
    const { saver } = await SessionAutosaver.open(file, { guard, debounceMs: 20, onSaved: (s) => saved.push(s.journalSeq) });
    await saver.annotate('a', { correctedText: 'hello world' });
    expect(await readFile(journalPath(file), 'utf8')).toContain('"correctedText":"hello world"');
    expect((await loadSession(file, { guard })).session.annotations).toEqual({});
    await new Promise((r) => setTimeout(r, 80));
    expect(saved).toEqual([1]);
    expect((await loadSession(file, { guard })).session.annotations.a.correctedText).toBe('hello world');
    expect(existsSync(journalPath(file))).toBe(false);
    await saver.dispose();
  });

  it('recovers annotations a crash left unsaved', async () => {
    const { saver } = await SessionAutosaver.open(file, { guard, debounceMs: 60_000 });
    await saver.annotate('a', { trueEndS: 0.95, flags: ['bad-cutoff'] });
    await saver.annotate('b', { notes: 'laughs' });
    // The process dies here: no save happened. A torn line is left at the end as well.
    await appendFile(journalPath(file), '{"seq":3,"utteranceId":"a","pa');

    const opened = await openSession(file, { guard });
    expect(opened.recovered.map((e) => e.seq)).toEqual([1, 2]);
    expect(opened.recoverySkipped).toBe(1);
    expect(opened.session.annotations).toEqual({
      a: { trueEndS: 0.95, tags: [], notes: '', flags: ['bad-cutoff'] },
      b: { tags: [], notes: 'laughs', flags: [] },
    });

    // Reopening with the saver saves the recovered edits on the first flush and clears the journal.
    const again = await SessionAutosaver.open(file, { guard });
    expect(again.saver.hasUnsavedChanges).toBe(true);
    await again.saver.annotate('a', { tags: ['later'] });
    await again.saver.dispose();
    const reloaded = await loadSession(file, { guard });
    expect(reloaded.session.journalSeq).toBe(3);
    expect(reloaded.session.annotations.a).toEqual({ trueEndS: 0.95, tags: ['later'], notes: '', flags: ['bad-cutoff'] });
    expect(existsSync(journalPath(file))).toBe(false);
  });

  it('does not re-apply journal entries the saved file already holds', async () => {
    const { saver } = await SessionAutosaver.open(file, { guard, debounceMs: 60_000 });
    await saver.annotate('a', { notes: 'first' });
    await saver.flush();
    // A crash between the save and the journal trim leaves an entry the file already has.
    await writeFile(journalPath(file), JSON.stringify({ seq: 1, utteranceId: 'a', patch: { notes: 'stale' }, at: 'x' }) + '\n');
    const opened = await openSession(file, { guard });
    expect(opened.recovered).toEqual([]);
    expect(opened.session.annotations.a.notes).toBe('first');
  });

  it('loses no annotation made while a save is running', async () => {
    const { saver } = await SessionAutosaver.open(file, { guard, debounceMs: 60_000 });
    await saver.annotate('a', { notes: 'one' });
    const saving = saver.flush();
    await saver.annotate('b', { notes: 'two' });
    await saving;
    // Crash now: "two" is either saved or in the journal.
    const opened = await openSession(file, { guard });
    expect(opened.session.annotations.a.notes).toBe('one');
    expect(opened.session.annotations.b.notes).toBe('two');
    await saver.dispose();
    expect((await loadSession(file, { guard })).session.annotations.b.notes).toBe('two');
  });

  it('rejects malformed patches with a clear error', async () => {
    const { saver } = await SessionAutosaver.open(file, { guard, debounceMs: 60_000 });
    await expect(saver.annotate('a', { trueEndS: -1 })).rejects.toThrow(/annotation rejected: trueEndS/);
    await expect(saver.annotate('zzz', { notes: 'x' })).rejects.toThrow(/has no utterance "zzz"/);
    expect(saver.hasUnsavedChanges).toBe(false);
  });
});
