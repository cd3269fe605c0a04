"""Cuts one-second clips from the demo recordings and writes each as Ogg Opus, MP3 and FLAC, for the
compressed-audio part of `npm run bench runtime` (bench/data/clips/). Uses the system's libsndfile (1.1 or
newer, which writes Opus and MP3) through ctypes, so it needs no Python package beyond numpy.

    /usr/bin/python3 scripts/make-compressed-clips.py [--count 30]
"""
import argparse
import ctypes
import os
import wave

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "resources", "demo")
OUT = os.path.join(ROOT, "bench", "data", "clips")
RATE = 16000

# libsndfile's format codes (sndfile.h).
SF_FORMAT = {
    "opus": 0x200000 | 0x0064,  # SF_FORMAT_OGG | SF_FORMAT_OPUS
    "mp3": 0x230000 | 0x0082,  # SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III
    "flac": 0x170000 | 0x0002,  # SF_FORMAT_FLAC | SF_FORMAT_PCM_16
}
SFM_WRITE = 0x20


class SfInfo(ctypes.Structure):
    _fields_ = [("frames", ctypes.c_int64), ("samplerate", ctypes.c_int), ("channels", ctypes.c_int),
                ("format", ctypes.c_int), ("sections", ctypes.c_int), ("seekable", ctypes.c_int)]


def libsndfile():
    lib = ctypes.CDLL("libsndfile.so.1")
    lib.sf_open.restype = ctypes.c_void_p
    lib.sf_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(SfInfo)]
    lib.sf_writef_float.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float), ctypes.c_int64]
    lib.sf_writef_float.restype = ctypes.c_int64
    lib.sf_close.argtypes = [ctypes.c_void_p]
    lib.sf_strerror.argtypes = [ctypes.c_void_p]
    lib.sf_strerror.restype = ctypes.c_char_p
    return lib


def write(lib, path, samples, kind):
    """Writes `samples`, (frames,) or (frames, channels), at RATE."""
    data = np.ascontiguousarray(samples, dtype=np.float32)
    info = SfInfo(0, RATE, 1 if data.ndim == 1 else data.shape[1], SF_FORMAT[kind], 0, 0)
    tmp = path + ".tmp"
    handle = lib.sf_open(tmp.encode(), SFM_WRITE, ctypes.byref(info))
    if not handle:
        raise SystemExit(f"libsndfile cannot write {kind}: {lib.sf_strerror(None).decode()}")
    lib.sf_writef_float(handle, data.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), len(data))
    lib.sf_close(handle)
    os.replace(tmp, path)


def demo_clips(count):
    """One-second windows, half a second apart, of each demo recording in turn."""
    clips = []
    for name in sorted(f for f in os.listdir(DEMO) if f.endswith(".wav")):
        with wave.open(os.path.join(DEMO, name)) as w:
            assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
            x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768
        for start in range(0, len(x) - RATE + 1, RATE // 2):
            clips.append((f"{name[:-4]}-{start / RATE:.1f}", x[start:start + RATE]))
    return clips[:count]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=30)
    a = ap.parse_args()
    lib = libsndfile()
    os.makedirs(OUT, exist_ok=True)
    clips = demo_clips(a.count)
    for name, x in clips:
        for kind in SF_FORMAT:
            write(lib, os.path.join(OUT, f"{name}.{kind}"), x, kind)
    print(f"{len(clips)} clips × {len(SF_FORMAT)} formats in {OUT}")


if __name__ == "__main__":
    main()
