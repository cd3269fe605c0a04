import { describe, expect, it } from 'vitest';
import { batchedCalls } from '../../../src/cli/batched-calls';

describe('batchedCalls', () => {
  it('sends full groups at once and the rest of a turn as one smaller group, each item getting its own answer', async () => {
    const groups: number[][] = [];
    const double = batchedCalls(3, async (group: number[]) => {
      groups.push(group);
      return group.map((n) => n * 2);
    });
    const answers = await Promise.all([1, 2, 3, 4, 5].map(double));
    expect(answers).toEqual([2, 4, 6, 8, 10]);
    expect(groups).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    // A later request starts a new group.
    expect(await double(6)).toBe(12);
    expect(groups.at(-1)).toEqual([6]);
  });

  it("rejects every item of a group whose call fails, and only that group's", async () => {
    const call = batchedCalls(2, async (group: string[]) => {
      if (group.includes('bad')) throw new Error('the model is broken');
      return group.map((s) => s.toUpperCase());
    });
    const settled = await Promise.allSettled(['a', 'bad', 'c'].map(call));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(settled[0]).toMatchObject({ reason: new Error('the model is broken') });
    expect(settled[2]).toMatchObject({ value: 'C' });
  });
});
