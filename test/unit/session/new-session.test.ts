import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256File } from '../../../src/engine/session/file-hash';
import { importDataset } from '../../../src/engine/session/import/import-dataset';
import { loadSession } from '../../../src/engine/session/load-session';
import { newSession } from '../../../src/engine/session/new-session';
import { PathGuard } from '../../../src/engine/session/path-guard';
import { saveSession } from '../../../src/engine/session/save-session';
import { SessionError } from '../../../src/engine/session/session-error';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-new-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('newSession', () => {
  it('makes a session from the demo folder that saves and reopens', async () => {
    const demo = resolve('resources/demo');
    const guard = new PathGuard([demo, dir]);
    const { utterances } = await importDataset(join(demo, 'manifest.jsonl'), { guard });
    const audio = new Map(await Promise.all(utterances.map(async (u) => [u.audio, { sha256: await sha256File(u.audio), durationS: 3 }] as const)));
    const session = newSession({ utterances, audio, model: { id: 'demo-model', config: {} }, contextLists: [{ name: 'demo', entries: ['anna mitchell'] }], id: 's', now: '2026-01-01T00:00:00.000Z' });
    expect(session.recordings).toHaveLength(9);
    expect(session.utterances[0]).toEqual({
      id: 'call-anna',
      recordingId: 'call-anna',
      text: 'call anna mitchell on her mobile',
      context: ['anna mitchell', 'priya ramanathan', 'kitchen lights'],
      speechStartS: 0.5,
      speechEndS: 2.299,
      endpoints: [],
    });
    await saveSession(join(dir, 'demo.json'), session, { guard });
    expect((await loadSession(join(dir, 'demo.json'), { guard })).session).toEqual(session);
  });

  it('needs the hash and duration of every audio file', () => {
    expect(() => newSession({ utterances: [{ id: 'u', audio: '/x.wav' }], audio: new Map(), model: { id: 'm', config: {} } })).toThrow(SessionError);
  });

  it('keeps prototype-like ids as plain data, and refuses "__proto__"', async () => {
    const guard = new PathGuard([dir]);
    const audio = new Map([['/a/constructor.wav', { sha256: 'c'.repeat(64), durationS: 1 }]]);
    const session = newSession({ utterances: [{ id: 'constructor', audio: '/a/constructor.wav' }], audio, model: { id: 'm', config: {} } });
    const annotated = { ...session, annotations: Object.fromEntries([['constructor', { tags: ['t'], notes: '', flags: [] }]]) };
    await saveSession(join(dir, 'p.json'), annotated, { guard });
    const loaded = (await loadSession(join(dir, 'p.json'), { guard })).session;
    expect(Object.keys(loaded.annotations)).toEqual(['constructor']);
    expect(() => newSession({ utterances: [{ id: '__proto__', audio: '/a/constructor.wav' }], audio, model: { id: 'm', config: {} } })).toThrow(/"__proto__" cannot be an id/);
  });
});
