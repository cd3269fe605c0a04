import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveModelDir } from '../../src/engine/asr/model-dir';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SHIPPED = join(root, 'resources/models/earshot-rnnt');
const FIXTURE = join(root, 'test/fixtures/tiny-model');

/** The model a runtime benchmark decodes with: the shipped one, else the tiny test fixture; $EARSHOT_BENCH_MODEL overrides. */
export function pickModel(): { dir: string; label: string } {
  const override = process.env.EARSHOT_BENCH_MODEL;
  if (override) return { dir: override, label: `${override} (EARSHOT_BENCH_MODEL)` };
  if (existsSync(join(SHIPPED, 'model.json'))) {
    try {
      resolveModelDir(SHIPPED);
      return { dir: SHIPPED, label: 'resources/models/earshot-rnnt' };
    } catch {
      // fall through to the fixture: a half-copied shipped model must not break the bench
    }
  }
  return { dir: FIXTURE, label: 'test/fixtures/tiny-model (shipped model missing)' };
}
