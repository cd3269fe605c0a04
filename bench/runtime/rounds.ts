/** Timing on a shared, noisy machine: systems interleaved round by round, medians reported. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** max / min − 1 over the rounds: how much the same work's time moved (0.3 = 30 %). */
export function spread(values: readonly number[]): number {
  return Math.max(...values) / Math.min(...values) - 1;
}

/** CPU seconds of this process so far (all its threads). */
export function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export interface Rounds {
  /** Wall seconds per round, per system. */
  wall: Record<string, number[]>;
  /**
   * CPU seconds of this process per round: what a single-threaded system costs whatever else
   * the machine runs (work in worker threads counts too, but not in child processes).
   */
  cpu: Record<string, number[]>;
}

/**
 * Time per round of each system: one warm-up pass each, then `rounds` rounds in which every
 * system runs once, in turn, so that a burst of background load hits all of them alike.
 */
export async function interleavedRounds(systems: Record<string, () => unknown>, rounds: number): Promise<Rounds> {
  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  for (const [name, run] of Object.entries(systems)) {
    await run();
    wall[name] = [];
    cpu[name] = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(systems)) {
      const c0 = cpuSeconds();
      const t0 = performance.now();
      await run();
      wall[name].push((performance.now() - t0) / 1000);
      cpu[name].push(cpuSeconds() - c0);
    }
  }
  return { wall, cpu };
}

/** The median over rounds of a / b, each round's pair measured side by side. */
export function medianRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((v, i) => v / b[i]));
}
