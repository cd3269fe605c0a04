"""The synthetic voices: five engines in Debian, each with voices for training and whole voices
held out for the test splits.

Licences (read in /usr/share/doc/<package>/copyright): espeak-ng GPL-3; flite and its voices
BSD-style; festival's kal/ked diphones and cmu_us_slt_arctic_hts free (BSD-style, EST); SVOX pico
lingware Apache-2.0; RHVoice's alan, bdl, clb and slt LGPL-2.1+ (from CMU ARCTIC). Left out for their
terms: RHVoice evgeniy-eng and lyubov (CC BY-NC-ND), festival rab_diphone (its OALD lexicon is
non-commercial only), every mbrola voice.
"""
import os
import subprocess
import tempfile

import numpy as np

SR = 16000

ESPEAK_BASE = ["en", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd",
               "en-029", "en-us-nyc"]
ESPEAK_VARIANTS = """Adam Alex Alicia Andrea Andy Annie Antonio Auntie Belinda Benjamin Boris Caleb David
Denis Diogo Ed Edward Edward2 Gene Gene2 Gustave Henrique Hugo Iven Iven2 Iven3 Iven4 Jacky John
Lee Linda Marcelo Marco Mario Max Michael Michel Miguel Mike Mr_Serious Nguyen Pablo Paul Pedro
Quincy Rob Robert Steph Steph2 Steph3 Storm Tweaky Zac anika anxiousAndy female2 female3 female4
female5 grandpa klatt klatt2 klatt3 klatt4 klatt5 klatt6 male2 male3 male4 male5 male6 male7 norbert
sandro shelby travis victor male8 female1 croak male1 grandma""".split()
# excluded entirely: whisper voices, robot/effects voices (Demonic, Robosoft*, UniversalRobot, ...)
ESPEAK_TEST_VARIANTS = ["Andrea", "Caleb", "Gene2", "Iven3", "Mario", "Steph2", "female4", "klatt4", "male5",
                        "norbert", "travis", "grandma"]

# (engine, voice): whole voices, one list for training, one held out for testing (at least one per engine)
TRAIN = {
    "flite": ["kal16", "awb", "slt"],
    "festival": ["kal_diphone", "cmu_us_slt_arctic_hts"],
    "pico": ["en-US"],
    "rhvoice": ["alan", "bdl", "slt"],
}
TEST = {
    "flite": ["rms"],
    "festival": ["ked_diphone"],
    "pico": ["en-GB"],
    "rhvoice": ["clb"],
}
# share of utterances per engine (espeak-ng takes the rest); its many variants make it the widest
ENGINE_SHARE = {"flite": 0.15, "festival": 0.12, "pico": 0.1, "rhvoice": 0.15}


def available_engines():
    """Engines whose programs are installed (pico and RHVoice come from Debian's contrib/non-free)."""
    progs = {"espeak": "espeak-ng", "flite": "flite", "festival": "text2wave", "pico": "pico2wave",
             "rhvoice": "RHVoice-test"}
    return {e for e, p in progs.items() if any(os.access(os.path.join(d, p), os.X_OK)
                                               for d in os.environ.get("PATH", "").split(os.pathsep))}


def pick_voice(rng, held_out, engines):
    """A (engine, voice) pair: training voices, or the held-out ones for test splits."""
    table = TEST if held_out else TRAIN
    r = rng.random()
    acc = 0.0
    for eng, share in ENGINE_SHARE.items():
        acc += share
        if r < acc and eng in engines:
            vs = table[eng]
            return (eng, vs[rng.integers(len(vs))])
    if held_out:
        v = ESPEAK_TEST_VARIANTS[rng.integers(len(ESPEAK_TEST_VARIANTS))]
        return ("espeak", f"{ESPEAK_BASE[rng.integers(len(ESPEAK_BASE))]}+{v}")
    tv = [v for v in ESPEAK_VARIANTS if v not in ESPEAK_TEST_VARIANTS]
    v = "" if rng.random() < 0.1 else "+" + tv[rng.integers(len(tv))]
    return ("espeak", ESPEAK_BASE[rng.integers(len(ESPEAK_BASE))] + v)


def voice_params(rng, voice):
    """Speaking rate and pitch within each engine's natural range."""
    return {"speed": int(rng.integers(135, 195)), "pitch": int(rng.integers(25, 76)),
            "stretch": float(rng.uniform(0.85, 1.2)),
            "f0": float(rng.uniform(150, 220) if voice[1] == "slt" else rng.uniform(90, 180)),
            "rate": int(rng.integers(80, 130))}


def _sox_to_16k(wav_bytes):
    p = subprocess.run(["sox", "-V1", "-D", "-t", "wav", "-", "-r", str(SR), "-c", "1", "-e", "signed", "-b", "16",
                        "-t", "raw", "-"], input=wav_bytes, capture_output=True, check=True)
    return np.frombuffer(p.stdout, dtype="<i2").astype(np.float32) / 32768.0


def _festival_text(text):
    return text.replace("\\", " ").replace('"', " ")


def synth(text, voice, params, tmpdir):
    """Synthesises text with one voice: float32 samples at 16 kHz."""
    kind, name = voice
    out = os.path.join(tmpdir, "synth.wav")
    if kind == "espeak":
        wav = subprocess.run(["espeak-ng", "-v", name, "-s", str(params["speed"]), "-p", str(params["pitch"]),
                              "--stdout", text], capture_output=True, check=True).stdout
        return _sox_to_16k(wav)
    if kind == "flite":
        subprocess.run(["flite", "-voice", name, "--setf", f"duration_stretch={params['stretch']:.3f}",
                        "--setf", f"int_f0_target_mean={params['f0']:.1f}", "-t", text, "-o", out],
                       capture_output=True, check=True)
    elif kind == "festival":
        with tempfile.NamedTemporaryFile("w", suffix=".txt", dir=tmpdir, delete=False) as fh:
            fh.write(_festival_text(text) + "\n")
        try:
            subprocess.run(["text2wave", "-eval", f"(voice_{name})", "-eval",
                            f"(Parameter.set 'Duration_Stretch {params['stretch']:.3f})", fh.name, "-o", out],
                           capture_output=True, check=True)
        finally:
            os.unlink(fh.name)
    elif kind == "pico":
        out = os.path.join(tmpdir, "pico.wav")  # pico2wave insists on a .wav name
        subprocess.run(["pico2wave", "-l", name, "-w", out, text], capture_output=True, check=True)
    elif kind == "rhvoice":
        subprocess.run(["RHVoice-test", "-p", name, "-r", str(params["rate"]), "-o", out], input=text.encode(),
                       capture_output=True, check=True)
    else:
        raise ValueError(f"unknown engine {kind}")
    with open(out, "rb") as f:
        return _sox_to_16k(f.read())


def recipe():
    return {"espeak_base": ESPEAK_BASE, "espeak_variants": ESPEAK_VARIANTS,
            "espeak_test_variants": ESPEAK_TEST_VARIANTS, "train": TRAIN, "test": TEST,
            "engine_share": ENGINE_SHARE}
