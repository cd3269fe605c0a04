/**
 * training/train.py `attention_loss`, the biasing attention's own supervision, and `trainable`, which
 * freezes all but the attention for a run that trains it alone. Each true entry of an
 * utterance's list must draw most of the attention at some frame, and no distractor may; frames past
 * the utterance's end do not count. Needs Debian's torch in /usr/bin/python3; skipped without it.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { python, pythonMissing } from './debian-python';

const root = join(__dirname, '..', '..', '..');
const missing = pythonMissing('import torch, torchaudio, soundfile', 'torch/torchaudio/soundfile', 'the attention loss check');

// Two utterances, 4 frames each (the second 3 long), entries [anna, bob, cleo]; column 0 is "no bias".
const CHECK = `
import json, sys, torch
sys.path.insert(0, "training")
import train
entries = ["anna", "bob", "cleo"]
rows = [{"names": ["anna"]}, {"names": []}]
mask = torch.tensor([[True, True, False], [False, True, True]])
flen = torch.tensor([4, 3])
def att(u0, u1):
    return torch.tensor([u0, u1], dtype=torch.float32)
quiet = [1.0, 0.0, 0.0, 0.0]
right = att([quiet, [0.05, 0.9, 0.05, 0.0], quiet, quiet], [quiet, quiet, quiet, quiet])
wrong = att([quiet, [0.05, 0.05, 0.9, 0.0], quiet, quiet], [quiet, [0.1, 0.0, 0.0, 0.9], quiet, quiet])
late = att([quiet, quiet, quiet, quiet], [quiet, quiet, quiet, [0.1, 0.0, 0.0, 0.9]])
grad = right.clone().requires_grad_(True)
train.attention_loss(grad, flen, rows, entries, mask).backward()
out = {
  "right": train.attention_loss(right, flen, rows, entries, mask).item(),
  "wrong": train.attention_loss(wrong, flen, rows, entries, mask).item(),
  "late_distractor": train.attention_loss(late, flen, rows, entries, mask).item() - train.attention_loss(att([quiet] * 4, [quiet] * 4), flen, rows, entries, mask).item(),
  "no_list": train.attention_loss(None, flen, rows, entries, mask).item(),
  "grad_true_peak": grad.grad[0, 1, 1].item(),
}
print(json.dumps(out))
`;

describe.skipIf(missing !== null)('the biasing attention loss (training/train.py attention_loss)', () => {
  it('is small when the true name draws the attention and distractors do not, large otherwise', () => {
    const out = JSON.parse(execFileSync(python, ['-c', CHECK], { cwd: root, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } }).trim().split('\n').pop()!) as Record<string, number>;
    // −log of anna's peak; the mean over both utterances of −log(1 − their highest distractor peak): bob's 0.05, then none
    expect(out.right).toBeCloseTo(-Math.log(0.9) - Math.log(1 - 0.05) / 2, 4);
    expect(out.wrong).toBeGreaterThan(5);
    expect(out.late_distractor, 'a distractor peak past the utterance end').toBeCloseTo(0, 6);
    expect(out.no_list).toBe(0);
    expect(out.grad_true_peak, 'the true entry peak is pulled up').toBeLessThan(0);
  }, 60_000);
});

const FREEZE = `
import json, sys, torch
sys.path.insert(0, "training")
import train
from model import RNNT
model = RNNT(layers=1, hidden=32, joiner_dim=32, dec_emb=16, ctx_dim=16, heads=2)
kept = train.trainable(model, "context.,bias.q.,bias.k.")
trained = sorted(n for n, p in model.named_parameters() if p.requires_grad)
try:
    train.trainable(model, "nothing.")
    refused = ""
except SystemExit as e:
    refused = str(e)
print(json.dumps({"kept": len(kept), "trained": trained, "all": len(train.trainable(model, None)), "refused": refused}))
`;

describe.skipIf(missing !== null)('training one part of the model (training/train.py trainable)', () => {
  it('freezes every parameter whose name does not start with one of the prefixes, and names a prefix that matches none', () => {
    const out = JSON.parse(execFileSync(python, ['-c', FREEZE], { cwd: root, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } }).trim().split('\n').pop()!) as {
      kept: number;
      trained: string[];
      all: number;
      refused: string;
    };
    expect(out.kept).toBe(out.trained.length);
    expect(out.trained.length).toBeGreaterThan(4);
    for (const name of out.trained) expect(name).toMatch(/^(context\.|bias\.q\.|bias\.k\.)/);
    expect(out.all).toBeGreaterThan(out.kept);
    expect(out.refused).toMatch(/--train-only nothing\.: no parameter's name starts with it/);
  }, 60_000);
});
