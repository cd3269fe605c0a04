/**
 * `--shard i/n`: which utterances one of n copies of a command takes. An utterance's shard
 * depends on its id alone (a hash, not its place in the file), so every copy agrees on the
 * split without talking to the others, and re-ordering the manifest changes nothing.
 */
import { createHash } from 'node:crypto';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > 1_000_000 || index >= count) {
    throw new Error(`--shard must be i/n with 0 ≤ i < n (e.g. 0/4 … 3/4, as Slurm's SLURM_ARRAY_TASK_ID counts), not "${text}"`);
  }
  return { index, count };
}

export function shardOf(id: string, count: number): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % count;
}

export function inShard<T extends { id: string }>(items: readonly T[], shard: Shard | undefined): T[] {
  return shard ? items.filter((item) => shardOf(item.id, shard.count) === shard.index) : [...items];
}

export const shardLabel = (shard: Shard | undefined): string | null => (shard ? `${shard.index}/${shard.count}` : null);
