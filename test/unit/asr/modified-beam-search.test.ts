import { describe, expect, it } from 'vitest';
import { GreedySearch } from '../../../src/engine/asr/greedy-search';
import { ModifiedBeamSearch } from '../../../src/engine/asr/modified-beam-search';
import { ContextGraph } from '../../../src/engine/bias/context-graph';
import { TokenTable } from '../../../src/engine/asr/tokens';
import { readTokenArpa } from '../../../src/engine/lm/token-arpa';
import { TokenLm } from '../../../src/engine/lm/token-lm';
import { framesFrom, TableJoint, textOf, tokenId, VOCAB } from './table-joint';

const ids = (s: string): number[] => [...s].map(tokenId);
const text = (h: { tokens: { id: number }[] }): string => textOf(h.tokens.map((t) => t.id));

/** "jon" is what the acoustics prefer; "john" is the second choice at frame 2. */
const JOHN = framesFrom([{ j: 0.9 }, { o: 0.9 }, { h: 0.3 }, { n: 0.9 }, {}]);

describe('modified beam search', () => {
  it('with beam 1 follows the same path as greedy', () => {
    const frames = framesFrom([{ a: 0.6, b: 0.3 }, {}, { c: 0.5 }, { d: 0.45 }, {}]);
    const greedy = new GreedySearch(new TableJoint());
    greedy.acceptFrames(frames, 5);
    const beam = new ModifiedBeamSearch(new TableJoint(), { beam: 1 });
    beam.acceptFrames(frames, 5);
    expect(beam.hypotheses()[0].tokens.map((t) => t.id)).toEqual(greedy.tokenIds());
  });

  it('keeps an n-best list of distinct token sequences ranked by score', () => {
    const search = new ModifiedBeamSearch(new TableJoint(), { beam: 4, lengthNorm: false });
    search.acceptFrames(JOHN, 5);
    const nbest = search.hypotheses(true);
    expect(text(nbest[0])).toBe('jon');
    expect(nbest.map(text)).toContain('john');
    expect(new Set(nbest.map(text)).size).toBe(nbest.length);
    for (let i = 1; i < nbest.length; i++) {
      expect(nbest[i - 1].acousticScore).toBeGreaterThanOrEqual(nbest[i].acousticScore);
    }
  });

  it('merges alignments of the same tokens by adding probabilities', () => {
    // "a" at frame 0 or frame 1: two alignments of one sequence.
    const search = new ModifiedBeamSearch(new TableJoint(), { beam: 4 });
    search.acceptFrames(framesFrom([{ a: 0.5 }, { a: 0.5 }]), 2);
    const a = search.hypotheses().find((h) => text(h) === 'a');
    expect(a).toBeDefined();
    // P(a at 0, blank at 1) + P(blank at 0, a at 1) with the repeat ignored by this joiner.
    const blank = 0.5;
    expect(Math.exp(a!.acousticScore)).toBeCloseTo(0.5 * blank + blank * 0.5, 3);
  });

  it('shallow fusion recovers a planted name that the unbiased search misspells', () => {
    const plain = new ModifiedBeamSearch(new TableJoint(), { beam: 4 });
    plain.acceptFrames(JOHN, 5);
    expect(text(plain.hypotheses(true)[0])).toBe('jon');

    const graph = new ContextGraph([{ tokens: ids('john'), phrase: 'john' }], 1.5);
    const biased = new ModifiedBeamSearch(new TableJoint(), { beam: 4, contextGraph: graph });
    biased.acceptFrames(JOHN, 5);
    const best = biased.hypotheses(true)[0];
    expect(text(best)).toBe('john');
    expect(best.biasScore).toBeCloseTo(6);
    expect(best.tokens.map((t) => t.biasBonus)).toEqual([1.5, 1.5, 1.5, 1.5]);
  });

  it('with the bonus counted in the selection, lets in a name whose first letter the acoustics rank outside the beam', () => {
    // "j" is the third choice on frame 0; a beam of 2 keeps "a" and "b" (and blank paths) without its bonus.
    const frames = framesFrom([{ a: 0.3, b: 0.25, j: 0.15 }, { o: 0.9 }, { h: 0.9 }, { n: 0.9 }, {}]);
    const graph = (): ContextGraph => new ContextGraph([{ tokens: ids('john'), phrase: 'john' }], 1.5);
    const after = new ModifiedBeamSearch(new TableJoint(), { beam: 2, contextGraph: graph() });
    after.acceptFrames(frames, 5);
    expect(after.hypotheses(true).map(text)).not.toContain('john');
    const within = new ModifiedBeamSearch(new TableJoint(), { beam: 2, contextGraph: graph(), fusionInSelection: true });
    within.acceptFrames(frames, 5);
    expect(text(within.hypotheses(true)[0])).toBe('john');
  });

  it('cancels the bonus of a name that was only partly matched', () => {
    const graph = new ContextGraph([{ tokens: ids('jonas'), phrase: 'jonas' }], 2);
    const search = new ModifiedBeamSearch(new TableJoint(), { beam: 4, contextGraph: graph });
    search.acceptFrames(framesFrom([{ j: 0.9 }, { o: 0.9 }, { n: 0.9 }, {}]), 4);
    const best = search.hypotheses(true)[0];
    expect(text(best)).toBe('jon');
    expect(best.biasScore).toBeCloseTo(0);
  });

  it('emits several tokens on one frame up to max symbols per frame, like greedy search', () => {
    // Frame 0 favours "a"; once "a" is emitted the joiner penalises it, so "b" is likelier than blank next.
    const frames = framesFrom([{ a: 0.5, b: 0.3 }, {}]);
    const one = new ModifiedBeamSearch(new TableJoint(10), { beam: 4 });
    one.acceptFrames(frames, 2);
    expect(one.hypotheses().every((h) => h.tokens.length <= 2 && new Set(h.tokens.map((t) => t.frame)).size === h.tokens.length)).toBe(true);
    expect(text(one.hypotheses()[0])).toBe('a');

    const two = new ModifiedBeamSearch(new TableJoint(10), { beam: 4, maxSymbolsPerFrame: 2 });
    two.acceptFrames(frames, 2);
    const best = two.hypotheses()[0];
    expect(text(best)).toBe('ab');
    expect(best.tokens.map((t) => t.frame)).toEqual([0, 0]);
    // One decision per frame, whatever the rounds inside it.
    expect(two.numFrames).toBe(2);
    // "a" alone had to pay for a blank after it on frame 0: P(a) P(blank | a) = 0.5 × 0.4.
    const a = two.hypotheses().find((h) => text(h) === 'a');
    expect(Math.exp(a!.acousticScore)).toBeCloseTo(0.5 * 0.4, 2);
  });

  it('names as best the first of its ranked hypotheses after every frame', () => {
    for (const lengthNorm of [true, false]) {
      const search = new ModifiedBeamSearch(new TableJoint(), { beam: 4, lengthNorm });
      // After frame 1 "j" has the higher total, "jo" the higher score per token.
      const frames = framesFrom([{ j: 0.9 }, { o: 0.45 }, { h: 0.45 }, { n: 0.9 }, {}]);
      for (let t = 0; t < 5; t++) {
        search.acceptFrames(frames.subarray(t * VOCAB.length, (t + 1) * VOCAB.length), 1);
        expect(search.best()).toEqual(search.hypotheses()[0]);
      }
    }
  });

  it('runs the prediction network only for contexts it has not seen', () => {
    const net = new TableJoint();
    const search = new ModifiedBeamSearch(net, { beam: 4 });
    search.acceptFrames(framesFrom(Array.from({ length: 20 }, () => ({}))), 20);
    expect(net.joinerCalls).toBe(20);
    const seen = net.decoderContexts.map((c) => c.join(','));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('merges an <unk> expansion into the blank one, as sherpa-onnx does', () => {
    const net = new TableJoint();
    net.unkId = tokenId("'");
    const search = new ModifiedBeamSearch(net, { beam: 4 });
    search.acceptFrames(framesFrom([{ a: 0.9 }, { "'": 0.6 }, { b: 0.9 }]), 3);
    const hyps = search.hypotheses(true);
    expect(textOf(hyps[0].tokens.map((t) => t.id))).toBe('ab');
    expect(hyps.some((h) => h.tokens.some((t) => t.id === net.unkId))).toBe(false);
    // Blank (0.4) and <unk> (0.6) at frame 1 are one path: their probabilities add up to ~1.
    expect(hyps[0].acousticScore).toBeCloseTo(2 * Math.log(0.9), 1);
  });

  describe('fused with a token LM', () => {
    // A bigram model that has seen "john" far more than "jon": after "o", "h" is likely and "n" is not.
    const arpa = `\\data\\\nngram 1=6\nngram 2=5\n\n\\1-grams:\n-99\t<s>\t0\n-0.7\tj\t0\n-0.7\to\t0\n-0.7\th\t0\n-0.7\tn\t0\n-0.7\t</s>\n\n\\2-grams:\n-0.05\t<s> j\n-0.05\tj o\n-0.05\to h\n-2\to n\n-0.05\th n\n\n\\end\\\n`;
    const lm = new TokenLm(readTokenArpa(arpa, 'john.arpa', new TokenTable(VOCAB)), VOCAB.length);

    it('takes the spelling the LM prefers where the acoustics lean the other way', () => {
      const search = new ModifiedBeamSearch(new TableJoint(), { beam: 4, lm: { model: lm, weight: 1, tokenBonus: 0 } });
      search.acceptFrames(JOHN, 5);
      const best = search.hypotheses(true)[0];
      expect(text(best)).toBe('john');
      // weight × ln P of each token after the one before: <s> j, j o, o h, h n
      expect(best.lmScore).toBeCloseTo(4 * -0.05 * Math.LN10, 4);
      expect(best.biasScore).toBe(0);
    });

    it('adds the token bonus to every emitted token, and at weight 0 decodes as without an LM', () => {
      const plain = new ModifiedBeamSearch(new TableJoint(), { beam: 4 });
      plain.acceptFrames(JOHN, 5);
      const off = new ModifiedBeamSearch(new TableJoint(), { beam: 4, lm: { model: lm, weight: 0, tokenBonus: 0 } });
      off.acceptFrames(JOHN, 5);
      expect(off.hypotheses(true).map(text)).toEqual(plain.hypotheses(true).map(text));
      const bonus = new ModifiedBeamSearch(new TableJoint(), { beam: 4, lm: { model: lm, weight: 0, tokenBonus: 0.5 } });
      bonus.acceptFrames(JOHN, 5);
      const best = bonus.hypotheses(true)[0];
      expect(best.lmScore).toBeCloseTo(0.5 * best.tokens.length);
    });
  });
});
