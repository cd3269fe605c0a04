import type { DifferenceInterval } from '../../shared/domain/compare';
import { percentile } from '../endpoint/metrics';

export const DEFAULT_RESAMPLES = 10_000;
export const DEFAULT_SEED = 1;

/**
 * Paired percentile bootstrap of a B − A difference over n paired items. Each resample draws
 * n item indices with replacement, `Math.floor(random() * n)` in turn, and `statistic` gives
 * B − A on those items; the interval is the 2.5th and 97.5th percentile of the resampled
 * differences (linear interpolation between order statistics). Pairing keeps each utterance's
 * A and B together, so the spread between utterances does not swamp the difference.
 */
export function pairedBootstrap(n: number, statistic: (indices: Int32Array) => number, resamples: number, random: () => number): DifferenceInterval {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const diffs = new Float64Array(resamples);
  const indices = new Int32Array(n);
  let above = 0;
  for (let r = 0; r < resamples; r++) {
    for (let k = 0; k < n; k++) indices[k] = Math.floor(random() * n);
    diffs[r] = statistic(indices);
    if (diffs[r] > 0) above++;
  }
  diffs.sort();
  return { diff: statistic(all), ci: [percentile(diffs, 0.025) ?? 0, percentile(diffs, 0.975) ?? 0], shareAbove: resamples > 0 ? above / resamples : 0 };
}
