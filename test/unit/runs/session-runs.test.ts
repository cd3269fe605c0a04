import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '@shared/domain/session';
import { loadSession, parseSession } from '@engine/session/load-session';
import { PathGuard } from '@engine/session/path-guard';
import { saveSession } from '@engine/session/save-session';
import { runsOfSession, sessionRunsOf, withSelectedRun } from '@engine/runs/run-state';
import { nextRunName, sameRunSettings } from '@engine/runs/run-settings';
import { decodeOf, sampleSession } from '../session/session-fixtures';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-runs-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The sample session with a second run, "with names", that decoded utterance a as "hello world anna". */
function twoRuns(): Session {
  const session = sampleSession();
  const second = {
    ...session.runs[0],
    id: 'run-2',
    name: 'with names',
    context: { mode: 'list' as const, entries: [{ phrase: 'anna', boost: 2 }] },
    results: { a: { kind: 'inline' as const, decode: decodeOf(['hello', 'world', 'anna']) } },
    errors: { b: 'the audio could not be read' },
  };
  return { ...session, runs: [...session.runs, second] };
}

describe('runs in the session file', () => {
  it('save and reopen with every run, its settings and its decodes', async () => {
    const file = join(dir, 'two-runs.json');
    await saveSession(file, twoRuns(), { guard: new PathGuard([dir]) });
    const { session, migratedFrom } = await loadSession(file, { guard: new PathGuard([dir]) });
    expect(migratedFrom).toBeNull();
    expect(session).toEqual(twoRuns());
    const runs = runsOfSession(session);
    expect(runs.map((r) => [r.meta.name, r.decodes.get('a')?.hyp, r.errors.get('b')])).toEqual([
      ['run 1', 'hello world', undefined],
      ['with names', 'hello world anna', 'the audio could not be read'],
    ]);
  });

  it('keep the selected run\'s decodes only in the utterances, and swap them when another run is selected', () => {
    const runs = runsOfSession(twoRuns());
    expect(sessionRunsOf(runs, 'run-1').map((r) => Object.keys(r.results))).toEqual([[], ['a']]);
    const switched = withSelectedRun(twoRuns(), runs[1], () => []);
    expect(switched.selectedRun).toBe('run-2');
    expect(switched.utterances.map((u) => [u.id, u.result?.kind === 'inline' ? u.result.decode.hyp : null, u.error ?? null])).toEqual([
      ['a', 'hello world anna', null],
      ['b', null, 'the audio could not be read'],
    ]);
    // Written out with run 2 selected, run 1 keeps its own decode and run 2 none.
    const stored = sessionRunsOf(runs, 'run-2');
    expect(stored.map((r) => Object.keys(r.results))).toEqual([['a'], []]);
    const reopened = runsOfSession({ ...switched, runs: stored });
    expect(reopened.map((r) => r.decodes.get('a')?.hyp)).toEqual(['hello world', 'hello world anna']);
  });

  it('still open a version 2 session, its results as run 1', () => {
    const v2 = readFileSync(new URL('../../fixtures/sessions/session-v2.json', import.meta.url), 'utf8');
    const { session } = parseSession(v2, 'v2.json');
    expect(runsOfSession(session).map((r) => [r.meta.name, r.decodes.size])).toEqual([['run 1', 1]]);
  });
});

describe('run settings', () => {
  it('tell a re-analysis with the same settings from a new run', () => {
    const [run] = twoRuns().runs;
    expect(sameRunSettings(run, { ...run, name: 'other name' } as typeof run)).toBe(true);
    expect(sameRunSettings(run, { ...run, decoding: { ...run.decoding, beam: 8 } })).toBe(false);
    expect(sameRunSettings(run, { ...run, context: { mode: 'list', entries: [] } })).toBe(false);
  });

  it('name a new run after the first free number', () => {
    expect(nextRunName([])).toBe('run 1');
    expect(nextRunName(['run 1', 'with names'])).toBe('run 3');
    expect(nextRunName(['run 2'])).toBe('run 3');
  });
});
