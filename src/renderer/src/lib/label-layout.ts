/**
 * Keeping plot labels apart: pure 1-D layouts, used wherever labels would stack on one another
 * (threshold labels on the end-pointer timeline, token letters on the fusion-bonus strip).
 */

/**
 * Moves wanted positions the least so that neighbours are at least `gap` apart, inside
 * [lo, hi]; returns the positions in the order given.
 */
export function spreadApart(wanted: readonly number[], gap: number, lo: number, hi: number): number[] {
  const order = wanted.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const placed = order.map((o) => Math.min(hi, Math.max(lo, o.v)));
  for (let k = 1; k < placed.length; k++) placed[k] = Math.max(placed[k], placed[k - 1] + gap);
  // Pushed past the top: slide the run back down, keeping the gaps.
  if (placed.length && placed[placed.length - 1] > hi) {
    placed[placed.length - 1] = hi;
    for (let k = placed.length - 2; k >= 0; k--) placed[k] = Math.min(placed[k], placed[k + 1] - gap);
  }
  const out = new Array<number>(wanted.length);
  order.forEach((o, k) => (out[o.i] = placed[k]));
  return out;
}

/**
 * Which labels to show along an axis so that none overlaps another: the more important
 * label wins a clash. `extents` are [start, end] in pixels; returns a keep flag per label.
 */
export function keepApart(extents: readonly (readonly [number, number])[], importance: readonly number[], gap = 1): boolean[] {
  const keep = extents.map(() => false);
  const taken: (readonly [number, number])[] = [];
  const order = extents.map((_, i) => i).sort((a, b) => importance[b] - importance[a] || extents[a][0] - extents[b][0]);
  for (const i of order) {
    const [a, b] = extents[i];
    if (taken.some(([c, d]) => a < d + gap && c < b + gap)) continue;
    taken.push(extents[i]);
    keep[i] = true;
  }
  return keep;
}
