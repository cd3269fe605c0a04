"""Open English text for synthesis: sentences of public-domain prose (../shared/data/text/sentences.txt,
normalised lower-case a-z and apostrophes), with fixed slices held out for the dev and test splits.

The hold-out is by line number, so it does not depend on the seed: every 100th sentence (from line 0)
is test, every 100th from line 1 is dev. Synthesis keeps sentences of at most MAX_WORDS words.
"""
MAX_WORDS = 20
HOLDOUT = {"test": 0, "dev": 1}


def load(path, part):
    """Sentences of one part: "train", "dev" or "test"."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            words = line.split()
            if not words or len(words) > MAX_WORDS:
                continue
            slot = i % 100
            held = next((p for p, k in HOLDOUT.items() if k == slot), "train")
            if held == part:
                out.append(" ".join(words))
    return out
