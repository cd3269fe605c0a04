import { describe, expect, it } from 'vitest';
import { configFromKnobs, defaultEndpointKnobs } from '../../../src/engine/endpoint/endpoint-config';
import { configPairFromKnobs, runDualEndpointer, type EndpointConfigPair } from '../../../src/engine/endpoint/dual-endpointer';
import type { EndpointStream } from '../../../src/engine/endpoint/endpoint-stream';
import { seconds, silence, stream } from './trace-builder';

/** Silence-only end-pointers: speculative after 0.2 s, final after 0.6 s of trailing blanks. */
const pair: EndpointConfigPair = {
  speculative: configFromKnobs({ ...defaultEndpointKnobs, eoqThreshold: null, minTrailingSilenceS: 0.2 }),
  final: configFromKnobs({ ...defaultEndpointKnobs, eoqThreshold: null, minTrailingSilenceS: 0.6 }),
};

describe('two end-pointers on one stream', () => {
  it('speculative end-pointer fires before final on a trailing pause', () => {
    const s = stream(`${silence(5)}W-W${silence(30)}`, { words: ['turn', 'on'] });
    const run = runDualEndpointer(s, pair);
    expect(run.events.map((e) => [e.type, e.frame, e.text])).toEqual([
      ['speculative', 7 + 5, 'turn on'],
      ['final', 7 + 15, 'turn on'],
    ]);
    expect(run.events[0].timeS).toBeCloseTo(13 * 0.04);
    expect(run.resets).toBe(0);
  });

  it('a planted mid-utterance pause: speculative fires, speech resumes, reset, then fires again', () => {
    const s = stream(`W-W${silence(8)}-W-W${silence(30)}`, { words: ['set', 'a', 'timer', 'please'] });
    const run = runDualEndpointer(s, pair);
    expect(run.events.map((e) => e.type)).toEqual(['speculative', 'reset', 'speculative', 'final']);
    expect(run.events[0].text).toBe('set a');
    expect(run.events[1]).toMatchObject({ reason: 'speech-resumed', frame: 12, text: 'set a timer' });
    expect(run.events[3].text).toBe('set a timer please');
    expect(run).toMatchObject({ speculativeFires: 2, resets: 1, firstSpeculativeFrame: 7, speculativeFrame: 19, finalFrame: 29 });
  });

  it('a final text that differs from the speculative one sends a revise', () => {
    // Modified beam search revises "turn of" into "turn off" with no new emission: partials only.
    const base = stream(`W-W${silence(20)}`, { chunkFrames: 4 });
    const s: EndpointStream = {
      ...base,
      tokens: [],
      text: 'turn off',
      partials: base.partials.map((p) => ({ ...p, text: p.numFrames < 12 ? 'turn of' : 'turn off' })),
    };
    const run = runDualEndpointer(s, pair);
    expect(run.events.map((e) => [e.type, e.text])).toEqual([
      ['speculative', 'turn of'],
      ['revise', 'turn off'],
      ['final', 'turn off'],
    ]);
    expect(run.events[1].reason).toBe('text-changed');
    expect(run.resets).toBe(1);
  });

  it('decisions become available at the end of the decoded chunk', () => {
    const s = stream(`W${silence(30)}`, { chunkFrames: 8 });
    const [speculative, final] = runDualEndpointer(s, pair).events;
    expect(speculative.frame).toBe(5);
    expect(speculative.timeS).toBeCloseTo(8 * 0.04);
    expect(final.timeS).toBeCloseTo(16 * 0.04);
  });

  it('takes the pair as the API carries it, as knobs', () => {
    const fromKnobs = configPairFromKnobs({
      speculative: { ...defaultEndpointKnobs, eoqThreshold: null, minTrailingSilenceS: 0.2 },
      final: { ...defaultEndpointKnobs, eoqThreshold: null, minTrailingSilenceS: 0.6 },
    });
    const s = stream(`W-W${silence(8)}-W-W${silence(30)}`);
    expect(runDualEndpointer(s, fromKnobs).events).toEqual(runDualEndpointer(s, pair).events);
  });

  it('does not fire on speech-free audio and reports no final', () => {
    const run = runDualEndpointer(stream(silence(seconds(3))), pair);
    expect(run.events).toEqual([]);
    expect(run.finalFrame).toBeNull();
  });
});
