#!/usr/bin/python3
"""Writes the fbank golden files that test/unit/features/fbank-golden.test.ts compares against.

Run with Debian's Python, which has python3-torchaudio (a pyenv `python3` shim may hide it):

    /usr/bin/python3 scripts/make-fbank-goldens.py

For each input signal it stores the signal as raw int16 little-endian (`<name>.s16`, so that the
TypeScript side reads back exactly the float32 values torchaudio saw: int16 / 32768) and, for each
option set, torchaudio.compliance.kaldi.fbank's output as raw float32 little-endian
(`<name>.<config>.f32`, frames x dim, row-major). `index.json` lists the cases with the options in
the TypeScript (camelCase) spelling.
"""

import json
import os
import sys
import wave

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "fbank")
RATE = 16000

# The trainer's call (and sherpa-onnx's defaults).
DEFAULT = dict(
    num_mel_bins=80,
    frame_length=25,
    frame_shift=10,
    window_type="povey",
    preemphasis_coefficient=0.97,
    remove_dc_offset=True,
    dither=0.0,
    low_freq=20,
    high_freq=-400,
    snip_edges=False,
    energy_floor=0.0,
    use_energy=False,
    sample_frequency=RATE,
)

CONFIGS = {
    "default": DEFAULT,
    "snip": dict(DEFAULT, snip_edges=True),
    # Exercises the other code paths: another window, energy column (floored, after windowing),
    # fewer bins, other band edges, magnitude instead of power.
    "variant": dict(
        DEFAULT,
        window_type="hamming",
        num_mel_bins=40,
        low_freq=64,
        high_freq=7000,
        preemphasis_coefficient=0.9,
        use_energy=True,
        raw_energy=False,
        energy_floor=1.0,
        use_power=False,
    ),
}

# Signals whose reference is torchaudio evaluated in float64 (float32's epsilon floor kept). A
# purely digital tone or chirp leaves bins 60+ dB below the peak, where float32 FFT round-off is
# comparable to their energy: torchaudio's float32 output there is off from the exact value by up
# to 0.012 (log units, recorded per case as float32Error), so it cannot be a 1e-3 reference.
# Speech, noise and silence have no such bins and are compared with the trainer's float32 call.
FLOAT64_REFERENCE = ("tones", "chirp")

TS_NAMES = {
    "num_mel_bins": "numMelBins",
    "frame_length": "frameLength",
    "frame_shift": "frameShift",
    "window_type": "windowType",
    "preemphasis_coefficient": "preemphasisCoefficient",
    "remove_dc_offset": "removeDcOffset",
    "dither": "dither",
    "low_freq": "lowFreq",
    "high_freq": "highFreq",
    "snip_edges": "snipEdges",
    "energy_floor": "energyFloor",
    "use_energy": "useEnergy",
    "raw_energy": "rawEnergy",
    "use_power": "usePower",
    "sample_frequency": "sampleFrequency",
}


def quantise(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x * 32768), -32768, 32767).astype(np.int16)


def read_wav16(path: str) -> np.ndarray:
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1 and w.getframerate() == RATE, path
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").copy()


def signals() -> dict:
    rng = np.random.default_rng(20240514)
    s = {}
    tt = np.arange(int(1.5 * RATE)) / RATE
    tones = 0.4 * np.sin(2 * np.pi * 440 * tt) + 0.2 * np.sin(2 * np.pi * 3000 * tt + 1.0)
    # A linear chirp across the whole band, and an odd length (not a multiple of the shift).
    tc = np.arange(2 * RATE + 77) / RATE
    f0, f1, dur = 50.0, 7900.0, tc[-1]
    chirp = 0.5 * np.sin(2 * np.pi * (f0 * tc + (f1 - f0) / (2 * dur) * tc**2))
    s["tones"] = quantise(tones)
    s["chirp"] = quantise(chirp)
    s["noise"] = quantise(np.clip(0.1 * rng.standard_normal(int(1.5 * RATE)), -1, 1))
    s["silence"] = np.zeros(RATE, dtype=np.int16)
    # Just over one window (torchaudio refuses less): reflection at both ends decides every frame.
    s["short"] = quantise(np.clip(0.2 * rng.standard_normal(430), -1, 1))
    speech = os.path.join(ROOT, "resources", "demo", "kitchen-lights.wav")
    if os.path.exists(speech):
        s["speech"] = read_wav16(speech)
    else:
        print(f"warning: {speech} missing, no speech golden", file=sys.stderr)
    return s


def float32_epsilon(device, dtype):
    return torch.tensor(torch.finfo(torch.float32).eps, device=device, dtype=dtype)


def main() -> None:
    # In float64 torchaudio would floor at float64's epsilon; keep the float32 floor the model
    # sees. For float32 input this is what torchaudio does anyway.
    kaldi._get_epsilon = float32_epsilon
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for name, pcm in signals().items():
        pcm.astype("<i2").tofile(os.path.join(OUT, f"{name}.s16"))
        wave32 = torch.from_numpy(pcm.astype(np.float32) / 32768.0).unsqueeze(0)
        wave64 = torch.from_numpy(pcm.astype(np.float64) / 32768.0).unsqueeze(0)
        for config, opts in CONFIGS.items():
            if config == "variant" and name not in ("speech", "chirp"):
                continue
            exact = name in FLOAT64_REFERENCE
            feats32 = kaldi.fbank(wave32, **opts).numpy()
            feats = kaldi.fbank(wave64, **opts).numpy() if exact else feats32
            feats.astype("<f4").tofile(os.path.join(OUT, f"{name}.{config}.f32"))
            cases.append(
                dict(
                    signal=name,
                    config=config,
                    reference="float64" if exact else "float32",
                    float32Error=float(np.abs(feats32 - feats).max()),
                    samples=int(pcm.shape[0]),
                    frames=int(feats.shape[0]),
                    dim=int(feats.shape[1]) if feats.ndim == 2 else 0,
                    options={TS_NAMES[k]: v for k, v in opts.items()},
                )
            )
    index = dict(
        generator="scripts/make-fbank-goldens.py",
        torch=torch.__version__,
        torchaudio=torchaudio.__version__,
        cases=cases,
    )
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, p)) for p in os.listdir(OUT))
    print(f"wrote {len(cases)} cases to {OUT} ({total / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
