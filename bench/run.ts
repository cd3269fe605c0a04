/**
 * `npm run bench [name …]`: runs bench/<name>.bench.ts files (all by default) and writes
 * bench/results/<name>.json: { name, machine, metrics (flat numbers), units, created }.
 * A bench file's default export returns { metrics, units }.
 */
import { readdirSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { cpus, platform, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchOutput {
  metrics: Record<string, number>;
  units: Record<string, string>;
  /** Free-form facts about the run (model, data) that are not numbers. */
  notes?: Record<string, string>;
}

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = join(benchDir, 'results');

function machine() {
  const list = cpus();
  return { cores: list.length, cpu_model: list[0]?.model ?? 'unknown', platform: platform(), node: process.version, memory_gb: Math.round(totalmem() / 2 ** 30) };
}

async function main(wanted: string[]): Promise<void> {
  const files = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => wanted.length === 0 || wanted.includes(basename(f, '.bench.ts')))
    .sort();
  if (files.length === 0) throw new Error(`no benchmark matches ${wanted.join(', ') || '(all)'}`);
  mkdirSync(resultsDir, { recursive: true });
  let failed = 0;
  for (const file of files) {
    const name = basename(file, '.bench.ts');
    process.stderr.write(`bench ${name} …\n`);
    try {
      const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: () => Promise<BenchOutput> };
      const output = await mod.default();
      const result = { name, machine: machine(), created: new Date().toISOString(), ...output };
      const target = join(resultsDir, `${name}.json`);
      writeFileSync(`${target}.tmp`, JSON.stringify(result, null, 2) + '\n');
      renameSync(`${target}.tmp`, target);
      process.stderr.write(`bench ${name}: ${JSON.stringify(output.metrics)}\n`);
    } catch (error) {
      failed += 1;
      process.stderr.write(`bench ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
  }
  if (failed > 0) process.exitCode = 1;
}

void main(process.argv.slice(2));
