/**
 * training/ddp.py: two processes launched by torchrun on CPU (gloo) train the RNN-T of
 * training/model.py for a few steps on batches that differ between them, and end with the same
 * weights, equal to one process's training on both batches (training/check_ddp.py checks, this runs it).
 * Needs Debian's torch in /usr/bin/python3; without it the test is skipped, saying so.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { python, pythonMissing } from './debian-python';

const root = join(__dirname, '..', '..', '..');
const missing = pythonMissing('import torch, torchaudio, torch.distributed as d; assert d.is_gloo_available()', 'torch with gloo', 'the DDP check');

interface Check {
  world: number;
  backend: string;
  max_diff_between_replicas: number;
  max_diff_vs_one_process: number;
  moved_from_initial: number;
  losses_by_replica: number[][];
  failures: string[];
}

describe.skipIf(missing !== null)('data-parallel training (training/ddp.py)', () => {
  it('keeps two gloo processes’ RNN-T weights identical, equal to one process on both batches', async () => {
    // --redirects/--tee: Debian's torch 1.13 under Python 3.11 cannot parse their default of 0.
    const args = ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', '--redirects', '2', '--tee', '2', '--log_dir', mkdtempSync(join(tmpdir(), 'earshot-ddp-')), join(root, 'training', 'check_ddp.py'), '--steps', '3'];
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(python, args, { cwd: root, env: { ...process.env, OMP_NUM_THREADS: '1' } }, (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err })),
    );
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    expect(line, stderr.slice(-3000)).toBeDefined();
    const check = JSON.parse(line!) as Check;
    expect(check.failures).toEqual([]);
    expect(check).toMatchObject({ world: 2, backend: 'gloo', max_diff_between_replicas: 0 });
    expect(check.max_diff_vs_one_process).toBeLessThan(1e-5);
    expect(check.moved_from_initial).toBeGreaterThan(1e-3);
    expect(check.losses_by_replica[0]).not.toEqual(check.losses_by_replica[1]);
    expect(code).toBe(0);
  }, 180_000);
});
