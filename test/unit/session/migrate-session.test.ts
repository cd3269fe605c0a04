import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSession } from '../../../src/engine/session/load-session';
import { SessionError } from '../../../src/engine/session/session-error';
import { sampleSession } from './session-fixtures';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/sessions/${name}`, import.meta.url), 'utf8');
const ctx = { now: '2026-02-02T00:00:00.000Z', newId: () => 'new-id' };

describe('session migrations', () => {
  it('brings a v0 run file to the current version', () => {
    const { session, migratedFrom } = parseSession(fixture('session-v0.json'), 'v0.json', ctx);
    expect(migratedFrom).toBe(0);
    expect(session.version).toBe(3);
    // No results: no run yet.
    expect(session.runs).toEqual([]);
    expect(session.selectedRun).toBeNull();
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

  it('brings a v2 file to the current version: its results become one selected run', () => {
    const text = fixture('session-v2.json');
    const { session, migratedFrom } = parseSession(text, 'v2.json', ctx);
    expect(migratedFrom).toBe(2);
    expect(session.version).toBe(3);
    expect(session.runs.map((r) => [r.id, r.name, r.decoding, r.context])).toEqual([['run-1', 'run 1', { beam: 4, shallowFusion: true, attentionBias: true, variant: 'int8' }, { mode: 'per-utterance', entries: [] }]]);
    expect(session.selectedRun).toBe('run-1');
    // The fixture is sampleSession() written as version 2: everything else is as it was.
    expect(session).toEqual(sampleSession());
  });

  it('reports a run pointing at an unknown utterance, and a selected run that does not exist', () => {
    const doc = JSON.parse(fixture('session-v2.json')) as Record<string, unknown>;
    const run = { id: 'r', name: 'r', createdAt: 'x', model: { id: 'm' }, decoding: { beam: 1, shallowFusion: true, attentionBias: true }, context: { mode: 'per-utterance', entries: [] }, results: { nobody: { kind: 'cache', key: 'k' } } };
    expect(() => parseSession(JSON.stringify({ ...doc, version: 3, runs: [run], selectedRun: 'r' }), 's.json')).toThrow(/runs\.0\.results\.nobody.*no utterance has id "nobody"/);
    expect(() => parseSession(JSON.stringify({ ...doc, version: 3, runs: [], selectedRun: 'gone' }), 's.json')).toThrow(/no run has id "gone"/);
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
