/**
 * training/lm/tune_fusion.py `choose_padding`: which tail padding a model decodes with by default, from its mean
 * dev WER per padding. Needs Debian's Python with numpy; skipped without it.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { python, pythonMissing } from './debian-python';

const root = join(__dirname, '..', '..', '..');
const missing = pythonMissing('import numpy', 'numpy', 'the tail padding choice check');

function choose(means: Array<[number, number]>): number {
  const grid = JSON.stringify(means.map(([s, mean]) => ({ tail_padding_s: s, mean })));
  const code = `import json, sys; sys.path.insert(0, "training/lm"); sys.path.insert(0, "training"); import tune_fusion; print(tune_fusion.choose_padding(json.loads('${grid}'))["tail_padding_s"])`;
  return Number(execFileSync(python, ['-c', code], { cwd: root, encoding: 'utf8' }).trim());
}

describe.skipIf(missing !== null)('the tail padding tune_fusion.py chooses', () => {
  it('takes padding that lowers the mean dev WER at all, the shortest within 0.1 points of the lowest', () => {
    expect(choose([[0, 31.77], [0.3, 31.69], [0.6, 31.69], [1, 31.67]])).toBe(0.3);
    expect(choose([[0, 33.24], [0.3, 33.14], [0.6, 33.12], [1, 32.9]])).toBe(1);
  });

  it('keeps none when no padding lowers it', () => {
    expect(choose([[0, 30], [0.3, 30], [0.6, 30.2]])).toBe(0);
  });
});
