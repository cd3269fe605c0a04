"""Augmentation of 16 kHz utterances, every level drawn from the utterance's own rng and recorded:
speed perturbation, reverberation, additive noise (synthetic colours, hum and babble, or recorded
background clips) at a random SNR, telephone band-limiting and an 8 kHz round trip."""
import numpy as np
import torch
import torchaudio

SR = 16000

# how often each augmentation is applied (recorded in the corpus recipe)
LEVELS = {"speed_fraction": 0.4, "speed_factors": [0.9, 1.1], "reverb_fraction": 0.3, "rt60_s": [0.15, 0.6],
          "noise_fraction": 0.75, "recorded_noise_fraction": 0.5, "snr_db": [3, 35],
          "telephone_fraction": 0.08, "telephone_band_hz": [300, 3400], "round_trip_8k_fraction": 0.08}


def trim(x):
    """Cuts leading and trailing near-silence (2 % of the peak), keeping 1 ms either side."""
    a = np.abs(x)
    thr = max(1e-3, 0.02 * a.max())
    idx = np.nonzero(a > thr)[0]
    if len(idx) == 0:
        return x[:0]
    return x[max(0, idx[0] - 16): idx[-1] + 16]


def synthetic_noise(rng, n):
    kind = rng.choice(["white", "pink", "brown", "hum", "babble"])
    w = rng.standard_normal(n).astype(np.float32)
    if kind == "white":
        return w
    if kind == "hum":
        t = np.arange(n) / SR
        f0 = rng.choice([50.0, 60.0])
        return (sum(np.sin(2 * np.pi * f0 * k * t + rng.random() * 6) / k for k in range(1, 6)) + 0.1 * w).astype(np.float32)
    spec = np.fft.rfft(w)
    f = np.arange(len(spec)) + 1.0
    if kind == "pink":
        spec /= np.sqrt(f)
    elif kind == "brown":
        spec /= f
    else:  # babble-ish: speech-band noise with syllabic amplitude modulation
        fr = np.fft.rfftfreq(n, 1 / SR)
        spec *= ((fr > 200) & (fr < 3500))
    y = np.fft.irfft(spec, n).astype(np.float32)
    if kind == "babble":
        t = np.arange(n) / SR
        y *= (1.2 + np.sin(2 * np.pi * rng.uniform(2, 5) * t)).astype(np.float32)
    return y


def reverb(rng, x):
    rt60 = rng.uniform(*LEVELS["rt60_s"])
    n = int(rt60 * SR)
    t = np.arange(n) / SR
    ir = rng.standard_normal(n) * np.exp(-6.9 * t / rt60)
    ir[0] = 1.0 / rng.uniform(0.3, 1.0)
    ir /= np.sqrt((ir ** 2).sum())
    m = len(x) + n - 1
    nfft = 1 << (m - 1).bit_length()
    y = np.fft.irfft(np.fft.rfft(x, nfft) * np.fft.rfft(ir, nfft), nfft)[: len(x)]
    return y.astype(np.float32)



def _resample(x, a, b):
    return torchaudio.functional.resample(torch.from_numpy(np.ascontiguousarray(x, np.float32)), a, b).numpy()


def speed(x, factor):
    """Kaldi-style speed perturbation: tempo and pitch together, by resampling."""
    return _resample(x, int(round(SR * factor)), SR)


def telephone(x):
    """A 300-3400 Hz band, as a narrow-band phone line passes."""
    spec = np.fft.rfft(x)
    fr = np.fft.rfftfreq(len(x), 1 / SR)
    lo, hi = LEVELS["telephone_band_hz"]
    spec *= (fr >= lo) & (fr <= hi)
    return np.fft.irfft(spec, len(x)).astype(np.float32)


def round_trip_8k(x):
    return _resample(_resample(x, SR, 8000), 8000, SR)[: len(x)]


class NoiseBank:
    """Recorded background clips (e.g. real-train's noise/ folder), loaded once."""

    def __init__(self, folder):
        import glob
        import soundfile as sf
        self.clips = []
        for p in sorted(glob.glob(f"{folder}/*"))[:500] if folder else []:
            try:
                y, sr = sf.read(p, dtype="float32")
            except RuntimeError:
                continue
            if y.ndim > 1:
                y = y.mean(1)
            if sr != SR:
                y = _resample(y, sr, SR)
            if len(y) and np.abs(y).max() > 0:
                self.clips.append(y)

    def sample(self, rng, n):
        if not self.clips:
            return None
        y = self.clips[rng.integers(len(self.clips))]
        reps = int(np.ceil(n / len(y)))
        y = np.tile(y, reps)
        s = rng.integers(0, len(y) - n + 1)
        return y[s: s + n].copy()


def add_noise(rng, x, speech, bank):
    """Noise at a random SNR relative to the speech region's power. Returns (x, snr, kind)."""
    snr = float(rng.uniform(*LEVELS["snr_db"]))
    nz = bank.sample(rng, len(x)) if bank is not None and rng.random() < LEVELS["recorded_noise_fraction"] else None
    kind = "recorded" if nz is not None else "synthetic"
    if nz is None:
        nz = synthetic_noise(rng, len(x))
    a, b = speech
    ps = np.mean(x[a:b] ** 2) + 1e-9 if b > a else np.mean(x ** 2) + 1e-9
    nz = nz * np.sqrt(ps / (np.mean(nz ** 2) + 1e-12) / 10 ** (snr / 10))
    return (x + nz).astype(np.float32), snr, kind


def augment(rng, x, speech, bank):
    """Reverb, noise and channel effects after the utterance is assembled (speech = sample bounds)."""
    aug = {}
    if rng.random() < LEVELS["reverb_fraction"]:
        x = reverb(rng, x)
        aug["reverb"] = True
    if rng.random() < LEVELS["noise_fraction"]:
        x, snr, kind = add_noise(rng, x, speech, bank)
        aug["snr_db"] = round(snr, 1)
        aug["noise"] = kind
    r = rng.random()
    if r < LEVELS["telephone_fraction"]:
        x = telephone(x)
        aug["telephone"] = True
    elif r < LEVELS["telephone_fraction"] + LEVELS["round_trip_8k_fraction"]:
        x = round_trip_8k(x)
        aug["round_trip_8k"] = True
    peak = np.abs(x).max()
    if peak > 0.99:
        x = x * (0.99 / peak)
    return x.astype(np.float32), aug
