import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOf } from '../../../src/cli/shard';

const ids = Array.from({ length: 200 }, (_, i) => ({ id: `utt-${i}` }));

describe('--shard i/n', () => {
  it('puts every utterance in exactly one of n shards', () => {
    const parts = [0, 1, 2, 3].map((index) => inShard(ids, { index, count: 4 }));
    expect(parts.flat().map((u) => u.id).sort()).toEqual(ids.map((u) => u.id).sort());
    for (const part of parts) expect(part.length).toBeGreaterThan(30);
  });

  it('depends on the id alone, not on the order of the input', () => {
    const reversed = [...ids].reverse();
    expect(inShard(reversed, { index: 2, count: 4 }).map((u) => u.id).sort()).toEqual(inShard(ids, { index: 2, count: 4 }).map((u) => u.id).sort());
    expect(shardOf('utt-7', 4)).toBe(shardOf('utt-7', 4));
  });

  it('reads i/n and refuses anything else, saying how shards count', () => {
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
    for (const bad of ['4/4', '1', '-1/4', 'a/b', '0/0']) expect(() => parseShard(bad)).toThrow(/--shard must be i\/n with 0 ≤ i < n/);
  });
});
