import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSession } from '../../../src/engine/session/load-session';
import { PathGuard } from '../../../src/engine/session/path-guard';
import { saveSession, serializeSession } from '../../../src/engine/session/save-session';
import { SessionError } from '../../../src/engine/session/session-error';
import { sampleSession } from './session-fixtures';

let dir: string;
let guard: PathGuard;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-session-'));
  guard = new PathGuard([dir]);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const errorOf = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as SessionError);

describe('saving and loading sessions', () => {
  it('restores exactly what was saved, -Infinity scores included', async () => {
    const session = sampleSession();
    const file = join(dir, 'session.json');
    await saveSession(file, session, { guard });
    const { session: loaded, migratedFrom } = await loadSession(file, { guard });
    expect(migratedFrom).toBeNull();
    expect(loaded).toEqual(session);
    const second = loaded.utterances[0].result;
    expect(second?.kind === 'inline' && second.decode.nbest[1].score).toBe(-Infinity);
    expect((await readFile(file, 'utf8')).startsWith('{"format":"earshot-session","version":3,')).toBe(true);
    expect(await readdir(dir)).toEqual(['session.json']); // no temporary file left behind
  });

  it('resolves relative recording paths against the session folder', async () => {
    const session = sampleSession();
    session.recordings[0].path = 'audio/a.wav';
    await writeFile(join(dir, 's.json'), serializeSession(session));
    const { session: loaded } = await loadSession(join(dir, 's.json'), { guard });
    expect(loaded.recordings[0].path).toBe(join(dir, 'audio/a.wav'));
  });

  it.each([
    ['{"format":', 'malformed-json', /s\.json: is not valid JSON/],
    ['[1,2]', 'invalid', /is not a JSON object/],
    ['{"format":"earshot-session","version":4}', 'unknown-version', /version 4.*reads versions up to 3/],
    ['{"format":"earshot-session","version":3,"id":"x"}', 'invalid', /is not a valid session: createdAt/],
  ])('gives a clear error for %s', async (text, code, message) => {
    await writeFile(join(dir, 's.json'), text);
    const err = await errorOf(loadSession(join(dir, 's.json'), { guard }));
    expect(err).toBeInstanceOf(SessionError);
    expect(err?.code).toBe(code);
    expect(err?.message).toMatch(message);
  });

  it('reports a missing file', async () => {
    const err = await errorOf(loadSession(join(dir, 'none.json'), { guard }));
    expect(err?.code).toBe('not-found');
    expect(err?.message).toContain('none.json');
  });

  it('refuses paths outside the opened folders, for reading and writing', async () => {
    const outside = join(dir, '..', 'elsewhere.json');
    expect((await errorOf(loadSession(outside, { guard })))?.code).toBe('outside-roots');
    const err = await errorOf(saveSession(join(dir, 'sub', '..', '..', 'x.json'), sampleSession(), { guard }));
    expect(err?.code).toBe('outside-roots');
    expect(err?.message).toMatch(/outside the folders you opened/);
  });

  it('never overwrites a file that is not a session, or one from a newer Earshot', async () => {
    const notes = join(dir, 'notes.json');
    await writeFile(notes, '{"my":"thesis"}');
    expect((await errorOf(saveSession(notes, sampleSession(), { guard })))?.code).toBe('refuse-overwrite');
    expect(await readFile(notes, 'utf8')).toBe('{"my":"thesis"}');
    const future = join(dir, 'future.json');
    await writeFile(future, '{"format":"earshot-session","version":7}');
    expect((await errorOf(saveSession(future, sampleSession(), { guard })))?.message).toMatch(/newer Earshot/);
    expect(await readFile(future, 'utf8')).toBe('{"format":"earshot-session","version":7}');
  });

  it('keeps a copy of an older-version file before upgrading it', async () => {
    const file = join(dir, 'old.json');
    const v1 = await readFile(new URL('../../fixtures/sessions/session-v1.json', import.meta.url), 'utf8');
    await writeFile(file, v1);
    const { session } = await loadSession(file, { guard });
    await saveSession(file, session, { guard });
    expect(await readFile(`${file}.v1.bak`, 'utf8')).toBe(v1);
    expect((await loadSession(file, { guard })).migratedFrom).toBeNull();
  });
});
