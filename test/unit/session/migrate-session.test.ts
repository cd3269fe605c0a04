import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSession } from '../../../src/engine/session/load-session';
import { SessionError } from '../../../src/engine/session/session-error';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/sessions/${name}`, import.meta.url), 'utf8');
const ctx = { now: '2026-02-02T00:00:00.000Z', newId: () => 'new-id' };

describe('session migrations', () => {
  it('brings a v0 run file to the current version', () => {
    const { session, migratedFrom } = parseSession(fixture('session-v0.json'), 'v0.json', ctx);
    expect(migratedFrom).toBe(0);
    expect(session.version).toBe(2);
    expect(session.id).toBe('new-id');
    expect(session.model).toEqual({ id: 'zipformer-small', config: {} });
    // Two files with the same name get distinct ids.
    expect(session.recordings.map((r) => r.id)).toEqual(['call-anna', 'call-anna-2']);
    expect(session.utterances[0]).toEqual({ id: 'call-anna', recordingId: 'call-anna', text: 'call anna mitchell', endpoints: [] });
    expect(session.annotations).toEqual({});
  });

  it('brings a v1 file to the current version, grouping its annotations', () => {
    const { session, migratedFrom } = parseSession(fixture('session-v1.json'), 'v1.json', ctx);
    expect(migratedFrom).toBe(1);
    expect(session.contextLists).toEqual([{ name: 'contacts', entries: ['anna mitchell', 'priya ramanathan'] }]);
    expect(session.annotations['call-anna']).toEqual({ correctedText: 'call anna mitchell now', trueEndS: 2.3, tags: ['noisy'], notes: '', flags: ['bad-cutoff'] });
    // Unknown free-text flags survive as tags.
    expect(session.annotations.timer).toEqual({ tags: ['music'], notes: 'speaker coughs', flags: [] });
  });

  it('refuses versions newer than it knows, naming the file', () => {
    const text = JSON.stringify({ format: 'earshot-session', version: 99 });
    expect(() => parseSession(text, 'future.json')).toThrow(SessionError);
    expect(() => parseSession(text, 'future.json')).toThrow(/future\.json: is session version 99.*newer Earshot/);
  });

  it('reports a malformed old file as such', () => {
    expect(() => parseSession('{"version":1,"format":"earshot-session"}', 'old.json')).toThrow(/not a valid version 1 session/);
  });
});
