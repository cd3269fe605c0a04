import type { DecodeResult, TokenEmission } from '../../../src/shared/domain/decode';
import type { Session } from '../../../src/shared/domain/session';

/** A small decode of "hello world" at 40 ms frames, with a -Infinity score to test JSON handling. */
export function decodeOf(words: string[] = ['hello', 'world'], durationS = 1.2): DecodeResult {
  const tokens: TokenEmission[] = [];
  let frame = 3;
  for (const w of words) {
    const pieces = [`▁${w.slice(0, 2)}`, ...(w.length > 2 ? [w.slice(2)] : [])];
    for (const symbol of pieces) {
      tokens.push({ id: tokens.length + 1, symbol, frame, timeS: frame * 0.04, logProb: -0.1 * (tokens.length + 1), biasBonus: 0 });
      frame += 2;
    }
    frame += 3;
  }
  const numFrames = Math.round(durationS / 0.04);
  return {
    hyp: words.join(' '),
    nbest: [{ text: words.join(' '), tokens, score: -1.5, acousticScore: -1.5, biasScore: 0 }, { text: 'x', tokens: [], score: -Infinity, acousticScore: -Infinity, biasScore: 0 }],
    lattice: {
      frameShiftS: 0.04,
      nodes: [
        { id: 0, frame: 0, timeS: 0 },
        { id: 1, frame: 8, timeS: 0.32 },
        { id: 2, frame: 20, timeS: 0.8 },
      ],
      arcs: [
        { from: 0, to: 1, word: words[0], startFrame: 0, endFrame: 8, acousticScore: -1.25, biasScore: 0, posterior: 1 },
        { from: 1, to: 2, word: words[1] ?? 'x', startFrame: 8, endFrame: 20, acousticScore: -2.5, biasScore: 0.5, posterior: 0.75 },
      ],
      start: 0,
      end: 2,
    },
    trace: {
      frameShiftS: 0.04,
      numFrames,
      blankProb: Array.from({ length: numFrames }, (_, i) => (i % 3 ? 0.9 : 0.2)),
      bestToken: Array.from({ length: numFrames }, () => 0),
      eoqProb: [],
      logEnergy: Array.from({ length: numFrames }, (_, i) => -5 + i * 0.01),
      emitted: Array.from({ length: numFrames }, () => 0),
    },
    partials: [{ chunkIndex: 0, numFrames: 8, timeS: 0.32, text: words[0] }],
    stats: { decodeS: 0.05, durationS, latticeBytes: 120, audioBytes: durationS * 32000 },
  };
}

export const HASH_A = 'a'.repeat(64);
export const HASH_B = 'b'.repeat(64);

/** Two utterances on two recordings, one with a result and end-pointer events. */
export function sampleSession(audioDir = '/data/audio'): Session {
  return {
    format: 'earshot-session',
    version: 3,
    id: 'session-1',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    journalSeq: 0,
    model: { id: 'zipformer-small', config: { beam: 4 } },
    contextLists: [{ name: 'contacts', entries: ['anna mitchell'] }],
    endpointConfig: { name: 'default', rules: [] },
    recordings: [
      { id: 'a', path: `${audioDir}/a.wav`, sha256: HASH_A, durationS: 1.2 },
      { id: 'b', path: `${audioDir}/b.wav`, sha256: HASH_B, durationS: 2 },
    ],
    utterances: [
      {
        id: 'a',
        recordingId: 'a',
        text: 'hello word',
        speechEndS: 0.9,
        result: { kind: 'inline', decode: decodeOf() },
        endpoints: [{ detector: 'final', endS: 1.1, events: [{ type: 'final', frame: 27, timeS: 1.1, text: 'hello world', rule: 'silence' }] }],
      },
      { id: 'b', recordingId: 'b', startS: 0.5, endS: 1.5, text: 'second one', endpoints: [] },
    ],
    annotations: {},
    view: { selected: 'a', zoom: 2 },
    runs: [
      {
        id: 'run-1',
        name: 'run 1',
        createdAt: '2026-01-01T00:00:00.000Z',
        model: { id: 'zipformer-small', config: { beam: 4 } },
        decoding: { beam: 4, shallowFusion: true, attentionBias: true, variant: 'int8' },
        context: { mode: 'per-utterance', entries: [] },
        endpoints: { name: 'default', rules: [] },
        results: {},
        errors: {},
      },
    ],
    selectedRun: 'run-1',
  };
}
