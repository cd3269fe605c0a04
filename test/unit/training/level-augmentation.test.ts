/**
 * training/train.py `with_gain`: the trainer puts utterances at a random level by moving their stored
 * fbank features rather than re-computing them. That must equal the kaldi fbank of the scaled
 * waveform, digital silence included. Needs Debian's torch in /usr/bin/python3; skipped without it.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { python, pythonMissing } from './debian-python';

const root = join(__dirname, '..', '..', '..');
const missing = pythonMissing('import torch, torchaudio, soundfile', 'torch/torchaudio/soundfile', 'the level check');

// A demo utterance with half a second of digital silence in front, at three levels.
const CHECK = `
import json, sys, numpy as np, soundfile as sf, torch, torchaudio
sys.path.insert(0, "training")
import train
x, sr = sf.read("resources/demo/call-anna.wav", dtype="float32")
x = np.concatenate([np.zeros(8000, np.float32), x])
def fbank(w):
    return torchaudio.compliance.kaldi.fbank(torch.from_numpy(w)[None], num_mel_bins=80, dither=0.0,
                                             energy_floor=0.0, sample_frequency=16000).numpy()
f = fbank(x)
out = {}
for db in (-30.0, -12.0, -1.0):
    g = fbank((x * 10 ** (db / 20)).astype(np.float32))
    out[str(db)] = float(np.abs(train.with_gain(f, db) - g).max())
out["floor_frames"] = int((f <= train.LOG_MEL_FLOOR + 1e-3).all(axis=1).sum())
print(json.dumps(out))
`;

describe.skipIf(missing !== null)('level augmentation (training/train.py with_gain)', () => {
  it('moves the stored fbank exactly as scaling the waveform moves it, silence staying on the floor', () => {
    const out = JSON.parse(execFileSync(python, ['-c', CHECK], { cwd: root, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } }).trim().split('\n').pop()!) as Record<string, number>;
    expect(out.floor_frames).toBeGreaterThan(40);
    for (const db of ['-30.0', '-12.0', '-1.0']) expect(out[db], `${db} dB`).toBeLessThan(1e-3);
  }, 60_000);
});
