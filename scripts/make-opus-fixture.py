"""Writes test/fixtures/audio/tone-3ch.opus: half a second of 300, 500 and 700 Hz tones on three channels
(left, centre, right), Ogg Opus with channel mapping family 1, through the system's libsndfile like
make-compressed-clips.py. The Opus tests use it for multistream decoding.

    /usr/bin/python3 scripts/make-opus-fixture.py
"""
import importlib.util
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "audio", "tone-3ch.opus")


def clips_module():
    spec = importlib.util.spec_from_file_location("make_compressed_clips", os.path.join(ROOT, "scripts", "make-compressed-clips.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    clips = clips_module()
    t = np.arange(clips.RATE // 2) / clips.RATE
    tones = np.stack([0.3 * np.sin(2 * np.pi * f * t) for f in (300, 500, 700)], 1)
    clips.write(clips.libsndfile(), OUT, tones, "opus")


if __name__ == "__main__":
    main()
