/**
 * training/average.py averages the weights of several checkpoints of one run (icefall's
 * average_checkpoints). A weight pruned in any of them stays pruned, so the average keeps each matrix's
 * sparsity; the rest of the checkpoint is the last one's, and it names the steps that went in.
 * Needs Debian's torch in /usr/bin/python3; skipped without it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { python, pythonMissing } from './debian-python';

const root = join(__dirname, '..', '..', '..');
const missing = pythonMissing('import torch, torchaudio, soundfile', 'torch/torchaudio/soundfile', 'the checkpoint averaging check');
const dir = mkdtempSync(join(tmpdir(), 'earshot-average-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHECK = `
import json, os, sys, torch
sys.path.insert(0, "training")
import average, compress, train
from model import RNNT
dir = sys.argv[1]
def saved(name, step, fill, prune=None, **shape):
    torch.manual_seed(0)
    m = RNNT(**{"layers": 1, "hidden": 16, "joiner_dim": 16, "dec_emb": 8, "ctx_dim": 8, "heads": 2, **shape})
    with torch.no_grad():
        for _, p, mask in compress.compressed_params(m):
            p.fill_(fill)
            if prune is not None:
                mask.view(-1)[prune] = 0
        compress.apply_masks(m)
    path = os.path.join(dir, name)
    train.save_ckpt(path, {"model": m.state_dict(), "opt": torch.optim.Adam(m.parameters()).state_dict(), "config": m.config,
                           "state": {"step": step}, "args": {"phase": "compress"}})
    return path
a, b = saved("a.pt", 100, 1.0, prune=0), saved("b.pt", 200, 3.0, prune=1)
avg = average.average([a, b])
w = avg["model"]["joiner.out.weight"].view(-1)
out = {"steps": avg["state"]["averaged_from"], "step": avg["state"]["step"], "w": [w[0].item(), w[1].item(), w[2].item()],
       "mask": avg["model"]["joiner.out.mask_weight"].view(-1)[:3].tolist()}
try:
    average.average([a, saved("c.pt", 300, 1.0, hidden=24)])
except ValueError as e:
    out["refused"] = str(e)
print(json.dumps(out))
`;

const SNAPSHOTS = `
import json, os, sys
sys.path.insert(0, "training")
import train
work = sys.argv[1]
last = os.path.join(work, "ckpt_last.pt")
for step in (10, 20, 30):
    with open(last + ".tmp", "w") as fh:
        fh.write(f"weights at step {step}")
    os.replace(last + ".tmp", last)  # as save_ckpt writes it
    train.keep_snapshot(last, work, step, 2)
kept = sorted(f for f in os.listdir(work) if f.startswith("ckpt_step"))
print(json.dumps({f: open(os.path.join(work, f)).read() for f in kept}))
`;

describe.skipIf(missing !== null)('checkpoint averaging (training/average.py)', () => {
  it('has the N newest checkpoints of a run to average (train.py --keep-ckpts), each as it was saved', () => {
    const work = mkdtempSync(join(dir, 'work-'));
    const kept = JSON.parse(execFileSync(python, ['-c', SNAPSHOTS, work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!) as Record<string, string>;
    expect(kept).toEqual({ 'ckpt_step0000020.pt': 'weights at step 20', 'ckpt_step0000030.pt': 'weights at step 30' });
  }, 60_000);

  it('takes the mean of the weights, keeps a weight pruned in any checkpoint pruned, and refuses another model shape', () => {
    const out = JSON.parse(execFileSync(python, ['-c', CHECK, dir], { cwd: root, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } }).trim().split('\n').pop()!) as {
      steps: number[];
      step: number;
      w: number[];
      mask: number[];
      refused?: string;
    };
    expect(out.steps).toEqual([100, 200]);
    expect(out.step, 'the rest is the last checkpoint').toBe(200);
    // Entry 0 pruned in a, entry 1 in b: both pruned in the average; entry 2 is (1 + 3) / 2.
    expect(out.w).toEqual([0, 0, 2]);
    expect(out.mask).toEqual([0, 0, 1]);
    expect(out.refused).toMatch(/another model shape|different model configurations/);
  }, 60_000);
});
