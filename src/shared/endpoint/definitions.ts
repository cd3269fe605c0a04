import type { MetricDefinitions } from '../domain/endpoint';

/** What the end-pointer numbers count, in words, for every view and printout that shows them. */
export function describeDefinitions(d: MetricDefinitions): string {
  const noFire = d.noFireAt === 'timeout' ? `a no-fire counts at the ${d.timeoutS} s timeout` : 'a no-fire counts at the end of the audio';
  return `cut-off: fired more than ${Math.round(d.cutoffToleranceS * 1000)} ms before the reference end; ${noFire}`;
}
