import { describe, expect, it } from 'vitest';
import type { FrameTrace } from '../../../src/shared/domain/decode';
import type { EndpointOutcome } from '../../../src/shared/domain/endpoint';
import { sortAndFilter } from '../../../src/renderer/src/lib/utterance-rows';
import { trailingNonSpeech } from '../../../src/shared/endpoint/non-speech';

const outcome = (id: string, latencyS: number, cutOff: boolean) => ({ id, speculative: { latencyS, cutOff, fired: true }, final: { latencyS, cutOff, fired: true } }) as unknown as EndpointOutcome;
const sources = {
  dataset: {
    id: 'd',
    name: 'data',
    source: '/data',
    folder: '/data',
    kind: 'folder',
    utterances: [
      { id: 'utt-10', audio: '/a.wav', text: 'call anna', durationS: 3 },
      { id: 'utt-2', audio: '/b.wav', text: 'set a timer', durationS: 4 },
      { id: 'utt-1', audio: '/c.wav', text: 'weather in paris', durationS: 2 },
    ],
  },
  sessionOutcomes: { 'utt-10': outcome('utt-10', 0.3, false), 'utt-2': outcome('utt-2', -0.2, true), 'utt-1': outcome('utt-1', 0.6, false) },
};

describe('the data-set sidebar', () => {
  it('sorts ids naturally and numbers by value', () => {
    expect(sortAndFilter({ ...sources, table: { sortKey: 'id', descending: false, filter: '' } }).map((r) => r.id)).toEqual(['utt-1', 'utt-2', 'utt-10']);
    expect(sortAndFilter({ ...sources, table: { sortKey: 'latencyS', descending: true, filter: '' } }).map((r) => r.id)).toEqual(['utt-1', 'utt-10', 'utt-2']);
  });

  it('filters by words, and “cut” keeps the cut-off utterances', () => {
    expect(sortAndFilter({ ...sources, table: { sortKey: 'id', descending: false, filter: 'paris' } }).map((r) => r.id)).toEqual(['utt-1']);
    expect(sortAndFilter({ ...sources, table: { sortKey: 'id', descending: false, filter: 'cut' } }).map((r) => r.id)).toEqual(['utt-2']);
  });
});

describe('the trailing non-speech curve', () => {
  const trace: FrameTrace = {
    frameShiftS: 0.04,
    numFrames: 6,
    blankProb: [],
    bestToken: [],
    eoqProb: [],
    logEnergy: [0, 0, 0, -20, -20, 0],
    emitted: [0, 1, 0, 0, 0, 1],
  };

  it('counts frames since the last emission for `blank`', () => {
    expect(Array.from(trailingNonSpeech(trace, { nonSpeech: 'blank', energyFloorDb: 40 })).map((v) => +v.toFixed(2))).toEqual([0.04, 0, 0.04, 0.08, 0.12, 0]);
  });

  it('needs quiet frames too for `blank-and-energy`', () => {
    expect(Array.from(trailingNonSpeech(trace, { nonSpeech: 'blank-and-energy', energyFloorDb: 40 })).map((v) => +v.toFixed(2))).toEqual([0, 0, 0, 0.04, 0.08, 0]);
  });
});
