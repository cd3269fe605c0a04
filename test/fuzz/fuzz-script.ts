import { pathToFileURL } from 'node:url';

/**
 * Runs a fuzzer when its file is the script node was started with:
 * `npx tsx test/fuzz/<name>.fuzz.ts [runs=10000] [seed]`; the unit tests import it instead.
 */
export async function runAsScript(moduleUrl: string, name: string, run: (runs: number, seed: number) => unknown): Promise<void> {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const runs = Number(process.argv[2] ?? 10_000);
  const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
  const t0 = performance.now();
  await run(runs, seed);
  console.log(`${name} fuzz: ${runs} cases passed (seed ${seed}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
