/**
 * training/grow.py grows a checkpoint without changing what it computes: a wider encoder (new LSTM units
 * copy existing ones, their readers split the outgoing weights) and a longer prediction-network context
 * (the older tokens' weights start at zero). The copies keep their originals' pruning, and their unequal
 * shares let them part in training. Needs Debian's torch in /usr/bin/python3; skipped without it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { python, pythonMissing } from './debian-python';

const root = join(__dirname, '..', '..', '..');
const missing = pythonMissing('import torch, torchaudio, soundfile', 'torch/torchaudio/soundfile', 'the checkpoint growth check');

const CHECK = `
import json, sys, torch
sys.path.insert(0, "training")
import compress, grow
from model import RNNT
torch.manual_seed(0)
m = RNNT(layers=2, hidden=16, joiner_dim=16, dec_emb=8, ctx_dim=8, heads=2)
compress.update_masks(m, 0.5)
ck = {"model": m.state_dict(), "config": dict(m.config), "state": {"step": 7}, "args": {}}
del ck["config"]["context"]  # checkpoints from before the context was configurable
grown, diff = grow.grow(ck, hidden=24, context=4, seed=1)
g = RNNT(**grown["config"]); g.load_state_dict(grown["model"])
sparsity = {n: round(float((p == 0).float().mean()), 4) for n, p, _ in compress.compressed_params(g)}
# unit 16 of the last layer copies some unit i: the same gate rows, the projection's column of i split between them
rows = g.encoder.lstm.weight_ih_l1.reshape(4, 24, -1)
i = next(i for i in range(16) if torch.equal(rows[:, i], rows[:, 16]))
proj = g.encoder.proj.weight
parts = [proj[:, i], proj[:, 16]]
out = {"diff": diff, "config": grown["config"], "step": grown["state"]["grown_from"]["step"],
       "split_sums": float((parts[0] + parts[1] - m.encoder.proj.weight[:, i]).abs().max()),
       "split_unequal": float((parts[0] - parts[1]).abs().max()),
       "lstm_sparsity": [sparsity[f"encoder.lstm.weight_{k}_l{l}"] for k in ("ih", "hh") for l in (0, 1)],
       "l1_new_zero": float(g.decoder.l1.weight[:, :16].abs().max()), "l1_new_open": float(g.decoder.l1.mask_weight[:, :16].min())}
try:
    grow.grow(ck, hidden=8)
except ValueError as e:
    out["narrower"] = str(e)
print(json.dumps(out))
`;

describe.skipIf(missing !== null)('growing a checkpoint (training/grow.py)', () => {
  it('widens the encoder and lengthens the context while computing the same, keeping the LSTM pruning', () => {
    const out = JSON.parse(execFileSync(python, ['-c', CHECK], { cwd: root, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } }).trim().split('\n').pop()!) as {
      diff: Record<string, number>;
      config: Record<string, number>;
      step: number;
      lstm_sparsity: number[];
      split_sums: number;
      split_unequal: number;
      l1_new_zero: number;
      l1_new_open: number;
      narrower?: string;
    };
    expect(out.config).toMatchObject({ layers: 2, hidden: 24, context: 4 });
    expect(out.step).toBe(7);
    for (const [what, d] of Object.entries(out.diff)) expect(d, what).toBeLessThan(1e-5);
    // Copied rows keep their zeros and split columns keep theirs: the LSTM matrices stay half pruned.
    for (const s of out.lstm_sparsity) expect(s).toBeCloseTo(0.5, 1);
    expect(out.split_sums, "a copy and its original share the original's outgoing weights").toBeLessThan(1e-6);
    expect(out.split_unequal, 'in unequal parts, so that they part in training').toBeGreaterThan(0);
    expect(out.l1_new_zero, "the older tokens' weights start at zero").toBe(0);
    expect(out.l1_new_open, 'and unpruned, free to grow').toBe(1);
    expect(out.narrower).toMatch(/only widens/);
  }, 60_000);
});
