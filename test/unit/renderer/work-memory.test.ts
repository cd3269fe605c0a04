import { beforeEach, describe, expect, it } from 'vitest';
import { dismissAutosave, recallWork, wasDismissed } from '../../../src/renderer/src/state/work-memory';
import { rememberRecent, recentPaths } from '../../../src/renderer/src/state/recent';

/** The renderer's localStorage, as a plain map (Node has none). */
const store = new Map<string, string>();
Object.assign(globalThis, {
  localStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) },
});

const knobs = { eoqThreshold: 0.8, eoqFrames: 2, eoqMinTrailingSilenceS: 0.16, minTrailingSilenceS: 0.5, maxUtteranceS: 20, nonSpeech: 'blank', energyFloorDb: 40 };

beforeEach(() => store.clear());

describe('what the window remembers', () => {
  it('is nothing the first time, and nothing from a memory that is not JSON', () => {
    expect(recallWork()).toBeNull();
    store.set('earshot-work', '{not json');
    expect(recallWork()).toBeNull();
  });

  it('keeps only what is valid from a memory another version wrote', () => {
    store.set(
      'earshot-work',
      JSON.stringify({ datasetSource: '/data/corpus', analysed: true, sessionPath: 7, panel: 'nowhere', table: { sortKey: 'snr', filter: 'wer>30' }, knobs: { speculative: knobs }, knobsUnsaved: true, view: { pxPerSec: -3 } }),
    );
    expect(recallWork()).toMatchObject({
      datasetSource: '/data/corpus',
      analysed: true,
      sessionPath: null,
      panel: 'tuning',
      table: { sortKey: 'id', descending: false, filter: 'wer>30' },
      // Half a pair of knobs is no knobs, so nothing is applied on restore.
      knobs: null,
      knobsUnsaved: false,
      view: null,
    });
  });

  it('brings back applied knobs that were not saved yet', () => {
    store.set('earshot-work', JSON.stringify({ datasetSource: '/d', knobs: { speculative: knobs, final: knobs }, knobsUnsaved: true }));
    expect(recallWork()).toMatchObject({ knobs: { final: { minTrailingSilenceS: 0.5 } }, knobsUnsaved: true });
  });
});

describe('dismissed autosaves and recent files', () => {
  it('does not offer the same work twice, but offers it again once it changed', () => {
    dismissAutosave('/cache/autosave/a.session.json', '2026-12-07T08:00:00.000Z');
    expect(wasDismissed('/cache/autosave/a.session.json', '2026-12-07T08:00:00.000Z')).toBe(true);
    expect(wasDismissed('/cache/autosave/a.session.json', '2026-12-07T08:05:00.000Z')).toBe(false);
  });

  it('lists recent files newest first, once each, never the autosaves', () => {
    rememberRecent('sessions', '/home/r/a.earshot.json');
    rememberRecent('sessions', '/home/r/b.earshot.json');
    rememberRecent('sessions', '/home/r/a.earshot.json');
    rememberRecent('sessions', '/tmp/earshot-cache/autosave/1f2e.session.json');
    expect(recentPaths('sessions')).toEqual(['/home/r/a.earshot.json', '/home/r/b.earshot.json']);
  });
});
