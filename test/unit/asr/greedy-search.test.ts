import { describe, expect, it } from 'vitest';
import { GreedySearch } from '../../../src/engine/asr/greedy-search';
import { framesFrom, TableJoint, textOf, tokenId } from './table-joint';

describe('greedy search', () => {
  it('takes the argmax at every frame and records blank probability and best token', () => {
    const net = new TableJoint();
    const search = new GreedySearch(net);
    search.acceptFrames(framesFrom([{}, { h: 0.9 }, {}, { i: 0.6 }, {}]), 5);
    const best = search.best();
    expect(textOf(best.tokens.map((t) => t.id))).toBe('hi');
    expect(best.tokens.map((t) => t.frame)).toEqual([1, 3]);
    expect(search.decisions.map((d) => d.bestToken)).toEqual([0, tokenId('h'), 0, tokenId('i'), 0]);
    expect(search.decisions[1].blankProb).toBeLessThan(0.2);
    expect(best.tokens[0].logProb).toBeCloseTo(Math.log(0.9), 3);
  });

  it('carries its state across chunks', () => {
    const frames = framesFrom([{ a: 0.9 }, {}, { b: 0.9 }, {}, { c: 0.9 }, { d: 0.9 }]);
    const whole = new GreedySearch(new TableJoint());
    whole.acceptFrames(frames, 6);
    const chunked = new GreedySearch(new TableJoint());
    chunked.acceptFrames(frames.subarray(0, 2 * 29), 2);
    chunked.acceptFrames(frames.subarray(2 * 29), 4);
    expect(chunked.best()).toEqual(whole.best());
    expect(chunked.best().tokens.map((t) => t.frame)).toEqual([0, 2, 4, 5]);
  });

  it('batches the joiner over a chunk: one call per emission plus one', () => {
    const net = new TableJoint();
    const search = new GreedySearch(net);
    search.acceptFrames(framesFrom([{}, {}, { a: 0.9 }, {}, {}, {}, {}, {}]), 8);
    expect(net.joinerCalls).toBe(2);
    expect(search.numFrames).toBe(8);
  });

  it('emits several tokens on one frame up to max symbols per frame', () => {
    // Frame 0 favours "a"; once "a" is emitted the joiner penalises it, so "b" comes next.
    const frames = framesFrom([{ a: 0.5, b: 0.3 }, {}]);
    const one = new GreedySearch(new TableJoint(10));
    one.acceptFrames(frames, 2);
    expect(textOf(one.tokenIds())).toBe('a');
    const two = new GreedySearch(new TableJoint(10), { maxSymbolsPerFrame: 2 });
    two.acceptFrames(frames, 2);
    expect(textOf(two.tokenIds())).toBe('ab');
    // The penalty only covers the last token, so a third symbol brings "a" back.
    const three = new GreedySearch(new TableJoint(10), { maxSymbolsPerFrame: 3 });
    three.acceptFrames(frames, 2);
    expect(textOf(three.tokenIds())).toBe('aba');
    expect(three.best().tokens.map((t) => t.frame)).toEqual([0, 0, 0]);
    expect(three.numFrames).toBe(2);
  });

  it('starts the prediction network from the context [-1, blank]', () => {
    const net = new TableJoint();
    new GreedySearch(net).acceptFrames(framesFrom([{ a: 0.9 }]), 1);
    expect(net.decoderContexts[0]).toEqual([-1, 0]);
    expect(net.decoderContexts[1]).toEqual([0, tokenId('a')]);
  });

  it('scores the path as the sum of its blank and token log-probs', () => {
    const search = new GreedySearch(new TableJoint());
    search.acceptFrames(framesFrom([{}, { a: 0.9 }, {}]), 3);
    const best = search.best();
    const blank = Math.log(1 - 28 * 1e-6);
    expect(best.acousticScore).toBeCloseTo(2 * blank + Math.log(0.9), 3);
    expect(best.tokens[0].blankLogProbBefore + best.tokens[0].logProb + best.trailingBlankLogProb).toBeCloseTo(best.acousticScore, 5);
  });

  it('searches <unk> as a blank, as sherpa-onnx does: never emitted, the context unchanged', () => {
    const net = new TableJoint();
    net.unkId = tokenId("'");
    const search = new GreedySearch(net);
    search.acceptFrames(framesFrom([{ a: 0.9 }, { "'": 0.9 }, { b: 0.9 }]), 3);
    expect(textOf(search.tokenIds())).toBe('ab');
    expect(search.best().tokens.map((t) => t.frame)).toEqual([0, 2]);
    expect(net.decoderContexts.some((c) => c.includes(net.unkId!))).toBe(false);
  });
});
