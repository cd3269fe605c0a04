"""The assistant-command grammar: spoken numbers, long-tail name pools with a held-out set, and
command templates (calls, messages, music, timers, alarms, smart home, weather, shopping, questions)."""
import numpy as np

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


# Names of the dev split that tunes the biasing boost (corpus.py dev_names): in neither the train nor the test
# pools, so that like the test names (and a user's contacts) the model has never heard them spoken.
DEV_FIRST = """oscar felix leo ivy ruby hazel violet jasper silas ezra milo nora iris stella clara eliza maeve
rosa esme ines dara kian omari tariq yusuf zara leila amara kenji haruto sora ren akira mina jiho seojun anika
rohan arjun kavya ishaan devi lakshmi bram joris sanne femke lotte maarten""".split()
DEV_CITIES = """bordeaux toulouse lille nantes leipzig dresden bremen hanover gothenburg malmo bergen tampere aarhus
antwerp ghent rotterdam utrecht salzburg graz brno gdansk wroclaw poznan bilbao malaga granada coimbra palermo
turin bologna""".split()


def dev_names(seed, names):
    """Name pools for dev_names, {cat: [...]} (no surnames), disjoint from every pool of `names`."""
    rng = np.random.default_rng([seed, 8])
    taken = {n for v in names.values() for part in v.values() for n in part}
    taken |= {w for n in taken for w in n.split()}
    invented = [w for w in _invented(rng, 400) if w not in taken][:100]
    bands = sorted({f"the {a} {n}" for a in ADJ for n in NOUN} - taken)
    first = [f for f in DEV_FIRST if f not in taken]
    out = {
        "contact": first + invented[:40],
        "place": [c for c in DEV_CITIES if c not in taken] + invented[40:55],
        "artist": [bands[i] for i in rng.permutation(len(bands))[:30]]
        + [f"{f} {s}" for f, s in zip(rng.permutation(first)[:20], rng.permutation(SURNAMES)[:20])] + invented[55:70],
        "song": invented[70:100],
    }
    return {cat: sorted(set(v) - taken) for cat, v in out.items()}


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


def make_text(rng, names, held_out_names=False, pool=None):
    """Returns (text, [names used]); held_out_names draws names from the test pools only, `pool` from that
    part of the pools (dev_names: "dev"). Only the train pools are drawn from with a long tail."""
    pool = pool or ("test" if held_out_names else "train")

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

