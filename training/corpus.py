#!/usr/bin/python3
"""Synthetic assistant-command corpus for Earshot's RNN-T (deterministic by seed).

Text comes from a small grammar (calls/messages, smart home, music, timers and
alarms with spoken numbers, weather, shopping lists, general questions) with
long-tail name lists; a held-out name set appears only in the test split.
Audio comes from espeak-ng (all English gmw voices x variants) and the 16 kHz
flite voices, resampled to 16 kHz with sox, with leading/trailing silence,
optional 300-900 ms mid-utterance pauses, additive noise and simple reverb.

Each shard writes `<split>-<k>.jsonl` (manifest rows: audio, text,
speech_start, speech_end, pauses, names, voice, duration) and `<split>-<k>.npz`
(fbank features, float16, concatenated with offsets) into OUT; a shard is
complete when its `.done` marker exists (training may start on a partial corpus).

Usage: /usr/bin/python3 training/corpus.py --out training/corpus --train 40000
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

SR = 16000
SPLITS = {"train": 0, "dev": 1, "test": 2}

# ----------------------------------------------------------------------------
# numbers

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def num2words(n):
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + num2words(rest))
    return " ".join(num2words(int(d)) for d in str(n))


# ----------------------------------------------------------------------------
# names

FIRST = """james mary robert patricia john jennifer michael linda david elizabeth william barbara
richard susan joseph jessica thomas sarah charles karen christopher lisa daniel nancy matthew betty
anthony margaret mark sandra donald ashley steven kimberly paul emily andrew donna joshua michelle
kenneth carol kevin amanda brian dorothy george melissa timothy deborah ronald stephanie edward
rebecca jason sharon jeffrey laura ryan cynthia jacob kathleen gary amy nicholas angela eric shirley
jonathan anna stephen brenda larry pamela justin emma scott nicole brandon helen benjamin samantha
samuel katherine gregory christine alexander debra frank rachel patrick carolyn raymond janet jack
catherine dennis maria jerry heather tyler diane aaron ruth jose julie adam olivia nathan joyce henry
virginia douglas victoria zachary kelly peter lauren kyle christina ethan joan walter evelyn noah
judith jeremy megan christian andrea keith cheryl roger hannah terry jacqueline gerald martha harold
gloria sean teresa austin ann carl sara arthur madison lawrence frances dylan kathryn jesse janice
jordan jean bryan abigail billy alice joe julia bruce judy gabriel sophia logan grace albert denise
willie amber alan doris juan marilyn wayne danielle elijah beverly randy isabella roy theresa vincent
diana ralph natalie eugene brittany russell charlotte bobby marie mason kayla philip alexis louis
lori priya ravi aisha omar yuki hiroshi mei wei chen fatima ahmed ingrid sven astrid lars nadia
dmitri olga ivan katya pierre amelie giulia marco sofia mateo lucia diego camila tomas elena
niamh siobhan ciaran aoife declan gwen rhys bronwyn callum isla fraser ewan morag kwame ama kofi
chioma emeka zanele thabo lindiwe sipho""".split()

SURNAMES = """smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez
lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris
sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores
green adams nelson baker hall rivera campbell mitchell carter roberts patel kumar okafor mensah
novak kowalski schmidt fischer weber dubois moreau rossi russo tanaka suzuki kim park chang""".split()

CITIES = """london paris berlin madrid rome tokyo boston chicago seattle denver austin dallas houston
phoenix atlanta miami orlando portland toronto vancouver montreal sydney melbourne auckland dublin
edinburgh glasgow manchester liverpool bristol leeds cardiff belfast oslo stockholm helsinki
copenhagen amsterdam brussels vienna prague warsaw budapest lisbon athens istanbul cairo nairobi
lagos accra johannesburg mumbai delhi bangalore chennai singapore bangkok jakarta manila seoul
beijing shanghai osaka kyoto lima bogota santiago quito havana kingston reykjavik zurich geneva
milan naples venice florence munich hamburg cologne lyon marseille nice seville valencia porto
krakow riga tallinn vilnius kiev minsk sofia bucharest belgrade zagreb sarajevo tirana""".split()

ADJ = """velvet silver broken golden electric quiet wild crimson hollow midnight neon paper
frozen burning lonely lucky little northern southern purple rusty sleepy hidden distant
gentle savage crystal ancient bright""".split()
NOUN = """owls tigers engines rivers ghosts pilots dreamers wolves foxes sparrows kings machines
lanterns horses mountains sailors robots strangers giants monkeys""".split()
SONG_A = """dancing falling running waiting dreaming burning shining breaking drifting calling
flying fading""".split()
SONG_B = """in the rain under the moon on the water through the night in the dark with you
all alone by the sea on fire in the summer for ever at midnight""".split(" ")
SONG_B = ["in the rain", "under the moon", "on the water", "through the night", "in the dark",
          "with you", "all alone", "by the sea", "on fire", "in the summer", "forever",
          "at midnight", "again", "slowly", "back home"]

SYL_ON = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kr", "l", "m", "n",
          "p", "pr", "qu", "r", "s", "sh", "st", "t", "th", "tr", "v", "w", "z", "zh", ""]
SYL_NU = ["a", "e", "i", "o", "u", "ai", "ee", "oo", "ou", "ay", "ia", "y"]
SYL_CO = ["", "", "n", "r", "l", "m", "s", "th", "x", "k", "nd", "rt", "sh"]


def _invented(rng, n):
    out = set()
    while len(out) < n:
        k = rng.integers(2, 4)
        w = "".join(SYL_ON[rng.integers(len(SYL_ON))] + SYL_NU[rng.integers(len(SYL_NU))]
                    + SYL_CO[rng.integers(len(SYL_CO))] for _ in range(k))
        if 4 <= len(w) <= 11:
            out.add(w)
    return sorted(out)


def build_names(seed):
    """Name pools per category: {cat: {"train": [...], "test": [...]}} (test is held out)."""
    rng = np.random.default_rng([seed, 7])
    invented = _invented(rng, 300)
    pools = {
        "contact": sorted(set(FIRST)) + invented[:120],
        "place": sorted(set(CITIES)) + invented[120:180],
        "artist": sorted({f"the {a} {n}" for a in ADJ for n in NOUN}) [::3]
        + [f"{f} {s}" for f, s in zip(rng.permutation(FIRST)[:80], rng.permutation(SURNAMES * 2)[:80])]
        + invented[180:240],
        "song": sorted({f"{a} {b}" for a in SONG_A for b in SONG_B}) + invented[240:300],
        "surname": sorted(set(SURNAMES)),
    }
    out = {}
    for cat, names in pools.items():
        names = sorted(set(names))
        perm = rng.permutation(len(names))
        n_test = 0 if cat == "surname" else int(0.2 * len(names))
        test = sorted(names[i] for i in perm[:n_test])
        train = [names[i] for i in perm[n_test:]]  # permuted order = long-tail rank order
        out[cat] = {"train": train, "test": test}
    return out


def _pick(rng, pool):
    """Zipf-like long tail over the pool (rank order = pool order)."""
    w = 1.0 / (np.arange(len(pool)) + 3.0) ** 1.05
    return pool[rng.choice(len(pool), p=w / w.sum())]


# ----------------------------------------------------------------------------
# grammar

ROOMS = ["kitchen", "living room", "bedroom", "bathroom", "hallway", "garage", "office",
         "dining room", "basement", "garden", "nursery", "porch"]
DEVICES = ["light", "lights", "lamp", "fan", "heater", "tv", "speaker", "blinds", "air conditioner",
           "coffee maker", "thermostat", "plug", "kettle", "radio"]
ITEMS = """milk eggs bread butter cheese apples bananas oranges tomatoes potatoes onions garlic rice
pasta coffee tea sugar flour yoghurt chicken beef fish lettuce carrots spinach cereal juice
water soap shampoo toothpaste batteries napkins honey jam peanut butter olive oil salt pepper
cookies chocolate grapes lemons avocados mushrooms beans""".split()
ITEMS = ITEMS + ["peanut butter", "olive oil", "paper towels", "dish soap", "orange juice"]
QUESTIONS = [
    "what time is it", "what day is it today", "how tall is mount everest", "who wrote hamlet",
    "how far away is the moon", "what is the capital of france", "tell me a joke",
    "how many days are there in a leap year", "what's the meaning of life", "how do you spell necessary",
    "what's on my calendar today", "what's my next meeting", "how are you doing", "what can you do",
    "how many ounces are in a pound", "what's the population of canada", "who painted the mona lisa",
    "when does the sun set today", "what's the speed of light", "how do i make pancakes",
    "read me the news", "what's the latest headline", "how long does it take to boil an egg",
    "what's the exchange rate for the euro", "is it going to snow this week", "turn up the volume",
    "turn down the volume", "stop", "cancel that", "never mind", "repeat that please", "thank you",
    "good morning", "good night", "what's the score of the game", "how many steps did i take today",
    "remind me to call the dentist", "remind me to water the plants", "where is my phone",
    "what's the traffic like", "navigate home", "how long will it take to get to work",
    "find a coffee shop nearby", "what's a good restaurant around here", "translate thank you into spanish",
    "what's twelve times eight", "what's the square root of sixty four", "flip a coin",
    "roll a die", "pick a number between one and ten", "what year did the war end",
]
WEATHER_Q = ["what's the weather in {p}", "what's the weather like in {p} today",
             "will it rain in {p} tomorrow", "how hot is it in {p}", "is it cold in {p} right now",
             "what's the forecast for {p} this weekend", "do i need an umbrella in {p}",
             "what's the temperature in {p}"]
WEATHER_N = ["what's the weather", "what's the weather like today", "will it rain tomorrow",
             "do i need an umbrella", "what's the forecast for this weekend", "is it windy outside",
             "how cold is it outside", "what's the temperature outside"]
CALL = ["call {c}", "call {c} on mobile", "phone {c}", "ring {c}", "dial {c}", "call {c} {s}",
        "video call {c}", "can you call {c} please", "start a call with {c}"]
MSG = ["send a message to {c}", "text {c} i'm on my way", "message {c} saying {m}",
       "tell {c} {m}", "send {c} a text saying {m}", "read my messages from {c}",
       "did {c} text me", "email {c} about {t}", "send an email to {c} {s}"]
MSG_BODY = ["i'll be late", "see you soon", "running ten minutes late", "call me back",
            "dinner is ready", "happy birthday", "i'm at the station", "where are you",
            "don't forget the keys", "love you"]
TOPICS = ["the meeting", "tomorrow", "the report", "the party", "dinner", "the trip", "the invoice"]
MUSIC_A = ["play {a}", "play some {a}", "play music by {a}", "shuffle {a}", "play the latest album by {a}",
           "i want to listen to {a}", "put on {a}"]
MUSIC_S = ["play {g}", "play {g} by {a}", "play the song {g}", "add {g} to my playlist",
           "who sings {g}"]
MUSIC_N = ["pause the music", "skip this song", "next track", "play the previous song", "resume playback",
           "what song is this", "play some jazz", "play something relaxing", "shuffle my playlist",
           "play the radio", "like this song"]


def _timer(rng):
    n = int(rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30, 35, 40, 45, 50, 60, 90])
            if rng.random() < 0.7 else rng.integers(1, 100))
    unit = rng.choice(["minutes", "seconds", "hours"]) if n != 1 else rng.choice(["minute", "second", "hour"])
    num = num2words(n)
    tpl = rng.choice(["set a timer for {n} {u}", "timer {n} {u}", "start a {n} {u1} timer",
                      "set a {n} {u1} timer for the pasta", "how much time is left on my timer",
                      "cancel the timer", "add {n} {u} to the timer"])
    return tpl.format(n=num, u=unit, u1=unit.rstrip("s"))


def _alarm(rng):
    h = int(rng.integers(1, 13))
    m = int(rng.choice([0, 0, 0, 15, 30, 45, 5, 10, 20, 40, 50]) if rng.random() < 0.8 else rng.integers(0, 60))
    if m == 0:
        t = num2words(h) + rng.choice(["", " o'clock"])
    elif m < 10:
        t = num2words(h) + " oh " + num2words(m)
    else:
        t = num2words(h) + " " + num2words(m)
    part = rng.choice(["", " in the morning", " in the evening", " tomorrow", " tonight"])
    tpl = rng.choice(["set an alarm for {t}{p}", "wake me up at {t}{p}", "alarm at {t}{p}",
                      "remind me at {t}{p}", "cancel my alarm for {t}", "change my alarm to {t}{p}",
                      "set an alarm for {t}{p} every weekday"])
    return tpl.format(t=t, p=part)


def _smart(rng):
    room, dev = rng.choice(ROOMS), rng.choice(DEVICES)
    pct = num2words(int(rng.choice([10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 100])))
    deg = num2words(int(rng.integers(15, 30)))
    tpl = rng.choice(["turn on the {r} {d}", "turn off the {r} {d}", "switch on the {d} in the {r}",
                      "switch off the {r} {d}", "dim the {r} {d} to {p} percent",
                      "set the {r} {d} to {p} percent", "is the {r} {d} on",
                      "set the thermostat to {g} degrees", "make the {r} warmer", "lock the front door",
                      "turn the {r} {d} off", "open the {r} blinds", "close the {r} blinds"])
    return tpl.format(r=room, d=dev, p=pct, g=deg)


def _shopping(rng):
    items = [rng.choice(ITEMS) for _ in range(int(rng.integers(1, 4)))]
    lst = " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]).replace(",", "") + " and " + items[-1]
    tpl = rng.choice(["add {i} to my shopping list", "put {i} on the list", "remove {i} from my shopping list",
                      "what's on my shopping list", "do i need {i}", "add {i} to the grocery list",
                      "buy {i}", "clear my shopping list"])
    return tpl.format(i=lst)


def make_text(rng, names, split):
    """Returns (text, [names used])."""
    pool = "test" if split == "test" else "train"

    def nm(cat):
        p = names[cat][pool]
        return _pick(rng, p) if pool == "train" else p[rng.integers(len(p))]

    kind = rng.choice(["call", "msg", "music", "timer", "alarm", "smart", "weather", "shop", "question"],
                      p=[0.15, 0.13, 0.14, 0.09, 0.08, 0.12, 0.11, 0.08, 0.10])
    used = []
    if kind in ("call", "msg"):
        c = nm("contact")
        used.append(c)
        s = names["surname"]["train"][rng.integers(len(names["surname"]["train"]))]
        tpl = rng.choice(CALL if kind == "call" else MSG)
        if "{s}" in tpl:
            used[-1] = c + " " + s
        text = tpl.format(c=c, s=s, m=rng.choice(MSG_BODY), t=rng.choice(TOPICS))
    elif kind == "music":
        r = rng.random()
        if r < 0.45:
            a = nm("artist")
            used.append(a)
            text = rng.choice(MUSIC_A).format(a=a)
        elif r < 0.8:
            g, a = nm("song"), nm("artist")
            tpl = rng.choice(MUSIC_S)
            used.append(g)
            if "{a}" in tpl:
                used.append(a)
            text = tpl.format(g=g, a=a)
        else:
            text = rng.choice(MUSIC_N)
    elif kind == "weather":
        if rng.random() < 0.75:
            p = nm("place")
            used.append(p)
            text = rng.choice(WEATHER_Q).format(p=p)
        else:
            text = rng.choice(WEATHER_N)
    elif kind == "timer":
        text = _timer(rng)
    elif kind == "alarm":
        text = _alarm(rng)
    elif kind == "smart":
        text = _smart(rng)
    elif kind == "shop":
        text = _shopping(rng)
    else:
        text = rng.choice(QUESTIONS)
    text = " ".join(text.replace(",", " ").split())
    return text, used


# ----------------------------------------------------------------------------
# voices

ESPEAK_BASE = ["en", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd",
               "en-029", "en-us-nyc"]
ESPEAK_VARIANTS = """Adam Alex Alicia Andrea Andy Annie Antonio Auntie Belinda Benjamin Boris Caleb David
Denis Diogo Ed Edward Edward2 Gene Gene2 Gustave Henrique Hugo Iven Iven2 Iven3 Iven4 Jacky John
Lee Linda Marcelo Marco Mario Max Michael Michel Miguel Mike Mr_Serious Nguyen Pablo Paul Pedro
Quincy Rob Robert Steph Steph2 Steph3 Storm Tweaky Zac anika anxiousAndy female2 female3 female4
female5 grandpa klatt klatt2 klatt3 klatt4 klatt5 klatt6 male2 male3 male4 male5 male6 male7 norbert
sandro shelby travis victor male8 female1 croak male1 grandma""".split()
# excluded entirely: whisper voices, robot/effects voices (Demonic, Robosoft*, UniversalRobot, ...)
TEST_VARIANTS = ["Andrea", "Caleb", "Gene2", "Iven3", "Mario", "Steph2", "female4", "klatt4", "male5",
                 "norbert", "travis", "grandma"]
FLITE_TRAIN = ["kal16", "awb", "slt"]
FLITE_TEST = ["rms"]


def pick_voice(rng, split):
    if split == "test":
        if rng.random() < 0.2:
            return ("flite", FLITE_TEST[0])
        return ("espeak", f"{ESPEAK_BASE[rng.integers(len(ESPEAK_BASE))]}+{TEST_VARIANTS[rng.integers(len(TEST_VARIANTS))]}")
    if rng.random() < 0.2:
        return ("flite", FLITE_TRAIN[rng.integers(len(FLITE_TRAIN))])
    tv = [v for v in ESPEAK_VARIANTS if v not in TEST_VARIANTS]
    v = "" if rng.random() < 0.1 else "+" + tv[rng.integers(len(tv))]
    return ("espeak", ESPEAK_BASE[rng.integers(len(ESPEAK_BASE))] + v)


def _sox_to_16k(wav_bytes):
    p = subprocess.run(["sox", "-V1", "-D", "-t", "wav", "-", "-r", str(SR), "-c", "1", "-e", "signed", "-b", "16",
                        "-t", "raw", "-"], input=wav_bytes, capture_output=True, check=True)
    return np.frombuffer(p.stdout, dtype="<i2").astype(np.float32) / 32768.0


def synth(text, voice, params, tmpdir):
    kind, name = voice
    if kind == "espeak":
        cmd = ["espeak-ng", "-v", name, "-s", str(params["speed"]), "-p", str(params["pitch"]), "--stdout", text]
        wav = subprocess.run(cmd, capture_output=True, check=True).stdout
    else:
        out = os.path.join(tmpdir, "flite.wav")
        cmd = ["flite", "-voice", name, "--setf", f"duration_stretch={params['stretch']:.3f}",
               "--setf", f"int_f0_target_mean={params['f0']:.1f}", "-t", text, "-o", out]
        subprocess.run(cmd, capture_output=True, check=True)
        with open(out, "rb") as f:
            wav = f.read()
    return _sox_to_16k(wav)


def _trim(x):
    a = np.abs(x)
    thr = max(1e-3, 0.02 * a.max())
    idx = np.nonzero(a > thr)[0]
    if len(idx) == 0:
        return x[:0]
    return x[max(0, idx[0] - 16): idx[-1] + 16]


def _noise(rng, n):
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


def _reverb(rng, x):
    rt60 = rng.uniform(0.15, 0.6)
    n = int(rt60 * SR)
    t = np.arange(n) / SR
    ir = rng.standard_normal(n) * np.exp(-6.9 * t / rt60)
    ir[0] = 1.0 / rng.uniform(0.3, 1.0)
    ir /= np.sqrt((ir ** 2).sum())
    m = len(x) + n - 1
    nfft = 1 << (m - 1).bit_length()
    y = np.fft.irfft(np.fft.rfft(x, nfft) * np.fft.rfft(ir, nfft), nfft)[: len(x)]
    return y.astype(np.float32)


def make_utt(seed, split, idx, names, tmpdir):
    rng = np.random.default_rng([seed, SPLITS[split], idx])
    text, used = make_text(rng, names, split)
    voice = pick_voice(rng, split)
    params = {"speed": int(rng.integers(135, 195)), "pitch": int(rng.integers(25, 76)),
              "stretch": float(rng.uniform(0.85, 1.2)), "f0": float(rng.uniform(90, 180) if voice[1] != "slt" else rng.uniform(150, 220))}
    words = text.split()
    parts = [words]
    if len(words) >= 3 and rng.random() < 0.25:
        k = int(rng.integers(1, len(words)))
        parts = [words[:k], words[k:]]
    segs = [_trim(synth(" ".join(p), voice, params, tmpdir)) for p in parts]
    lead = rng.uniform(0.1, 0.8)
    trail = rng.uniform(0.4, 1.0)
    pieces = [np.zeros(int(lead * SR), np.float32)]
    pauses = []
    pos = len(pieces[0])
    for i, s in enumerate(segs):
        if i > 0:
            gap = int(rng.uniform(0.3, 0.9) * SR)
            pauses.append([round(pos / SR, 4), round((pos + gap) / SR, 4)])
            pieces.append(np.zeros(gap, np.float32))
            pos += gap
        pieces.append(s)
        pos += len(s)
    speech_start = len(pieces[0]) / SR
    speech_end = pos / SR
    pieces.append(np.zeros(int(trail * SR), np.float32))
    x = np.concatenate(pieces)
    x = x / (np.abs(x).max() + 1e-6) * rng.uniform(0.2, 0.9)
    aug = {}
    if rng.random() < 0.3:
        x = _reverb(rng, x)
        aug["reverb"] = True
    if rng.random() < 0.75:
        snr = float(rng.uniform(5, 35))
        nz = _noise(rng, len(x))
        ps = np.mean(x[int(speech_start * SR): int(speech_end * SR)] ** 2) + 1e-9
        nz *= np.sqrt(ps / (np.mean(nz ** 2) + 1e-12) / 10 ** (snr / 10))
        x = x + nz
        aug["snr_db"] = round(snr, 1)
    peak = np.abs(x).max()
    if peak > 0.99:
        x = x * (0.99 / peak)
    meta = {"text": text, "speech_start": round(speech_start, 4), "speech_end": round(speech_end, 4),
            "pauses": pauses, "names": used, "voice": f"{voice[0]}:{voice[1]}",
            "duration": round(len(x) / SR, 4), "aug": aug}
    return x.astype(np.float32), meta


def fbank(x):
    import torch
    import torchaudio
    return torchaudio.compliance.kaldi.fbank(
        torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))[None], num_mel_bins=80, frame_length=25,
        frame_shift=10, window_type="povey", preemphasis_coefficient=0.97, remove_dc_offset=True, dither=0.0,
        low_freq=20, high_freq=-400, snip_edges=False, energy_floor=0.0, use_energy=False,
        sample_frequency=16000).numpy()


def write_shard(out, seed, split, shard, start, count, names, save_audio=True):
    import soundfile as sf
    import torch
    torch.set_num_threads(1)
    base = os.path.join(out, f"{split}-{shard:04d}")
    if os.path.exists(base + ".done"):
        return
    tmpdir = os.path.join(out, "tmp", f"{split}-{shard:04d}")
    os.makedirs(tmpdir, exist_ok=True)
    adir = os.path.join(out, "audio", split)
    os.makedirs(adir, exist_ok=True)
    rows, feats = [], []
    for i in range(start, start + count):
        x, meta = make_utt(seed, split, i, names, tmpdir)
        rel = os.path.join("audio", split, f"{split}-{i:06d}.wav")
        if save_audio:
            sf.write(os.path.join(out, rel), x, SR, subtype="PCM_16")
            x = sf.read(os.path.join(out, rel), dtype="float32")[0]  # features from the stored 16-bit audio
        else:
            x = np.round(x * 32768).clip(-32768, 32767) / 32768.0
        f = fbank(x)
        feats.append(f.astype(np.float16))
        rows.append({"id": f"{split}-{i:06d}", "audio": rel, **meta, "num_frames": len(f)})
    lens = np.array([len(f) for f in feats], np.int64)
    np.savez(base + ".tmp.npz", feats=np.concatenate(feats), lens=lens)
    os.replace(base + ".tmp.npz", base + ".npz")
    with open(base + ".jsonl", "w") as fh:
        for r in rows:
            fh.write(json.dumps(r) + "\n")
    open(base + ".done", "w").close()


def _job(a):
    write_shard(*a)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--train", type=int, default=40000)
    ap.add_argument("--dev", type=int, default=400)
    ap.add_argument("--test", type=int, default=1000)
    ap.add_argument("--shard-size", type=int, default=500)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--no-train-audio", action="store_true", help="keep only features for train")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    names = build_names(args.seed)
    with open(os.path.join(args.out, "names.json"), "w") as fh:
        json.dump(names, fh)
    jobs = []
    # test and dev first (small), then train shards in order so training can start early
    for split in ["test", "dev", "train"]:
        n = getattr(args, split)
        for k, s in enumerate(range(0, n, args.shard_size)):
            jobs.append((args.out, args.seed, split, k, s, min(args.shard_size, n - s), names,
                         not (split == "train" and args.no_train_audio)))
    with open(os.path.join(args.out, "recipe.json"), "w") as fh:
        json.dump({"seed": args.seed, "train": args.train, "dev": args.dev, "test": args.test,
                   "shard_size": args.shard_size, "espeak_base": ESPEAK_BASE,
                   "espeak_variants": ESPEAK_VARIANTS, "test_variants": TEST_VARIANTS,
                   "flite_train": FLITE_TRAIN, "flite_test": FLITE_TEST,
                   "pause_fraction": 0.25, "pause_ms": [300, 900], "lead_s": [0.1, 0.8], "trail_s": [0.4, 1.0],
                   "noise_fraction": 0.75, "snr_db": [5, 35], "reverb_fraction": 0.3,
                   "names_train": {k: len(v["train"]) for k, v in names.items()},
                   "names_test": {k: len(v["test"]) for k, v in names.items()}}, fh, indent=1)
    t0 = time.time()
    if args.jobs <= 1:
        for j in jobs:
            write_shard(*j)
            print(f"{time.time() - t0:7.1f}s {j[2]}-{j[3]:04d}", flush=True)
    else:
        import multiprocessing as mp
        with mp.get_context("fork").Pool(args.jobs) as pool:
            for k, _ in enumerate(pool.imap(_job, jobs)):
                print(f"{time.time() - t0:7.1f}s {jobs[k][2]}-{jobs[k][3]:04d}", flush=True)
    print("corpus done", flush=True)


if __name__ == "__main__":
    main()
