/**
 * Whether the parts of a sharded run (each labelled `i/n` by `--shard`, or null when it was not
 * sharded) cover shards 0…n−1 once each; throws saying which are missing, repeated or mixed.
 * `isEmpty(i, n)` names shards the data set gives no utterance, which wrote nothing.
 */
export function checkShardCover(
  parts: ReadonlyArray<{ label: string | null; source: string }>,
  what: string,
  isEmpty: (index: number, count: number) => boolean = () => false,
): void {
  if (parts.every((p) => p.label === null)) return;
  if (parts.some((p) => p.label === null)) throw new Error(`some ${what} are shards (--shard) and some are not`);
  const counts = new Set(parts.map((p) => (p.label as string).split('/')[1]));
  if (counts.size > 1) throw new Error(`the ${what} are shards of different splits (${[...counts].map((n) => `/${n}`).join(', ')})`);
  const n = Number([...counts][0]);
  const seen = new Map<string, string>();
  for (const { label, source } of parts) {
    if (seen.has(label as string)) throw new Error(`shard ${label} is given twice (${seen.get(label as string)} and ${source})`);
    seen.set(label as string, source);
  }
  const missing = Array.from({ length: n }, (_, i) => i)
    .filter((i) => !seen.has(`${i}/${n}`) && !isEmpty(i, n))
    .map((i) => `${i}/${n}`);
  if (missing.length > 0) throw new Error(`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`);
}
