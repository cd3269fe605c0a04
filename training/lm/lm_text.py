"""The language model's text: open English sentences and assistant commands, with exactly the corpus's hold-outs.

Open text comes through open_text.load (line numbers ≡ 0 mod 100 are test, ≡ 1 dev, never trained on); commands
come from grammar.make_text with the training name pools of grammar.build_names(seed) (the test names are never
drawn for training). The seed is the corpus's, so the held-out names are the ones test_cmd speaks.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import grammar  # noqa: E402
import open_text  # noqa: E402

CORPUS_SEED = 1234


def commands(n, seed, held_out_names=False, names_seed=CORPUS_SEED):
    names = grammar.build_names(names_seed)
    rng = np.random.default_rng([seed, 97])
    return [grammar.make_text(rng, names, held_out_names=held_out_names)[0] for _ in range(n)]


def split_text(text_path, part, n_commands, seed=0):
    """Sentences of one part ("train", "dev", "test"): open text of that slice plus n_commands commands
    (with held-out names for "test")."""
    cmd_seed = {"train": seed, "dev": 10_000 + seed, "test": 20_000 + seed}[part]
    return open_text.load(text_path, part), commands(n_commands, cmd_seed, held_out_names=part == "test")


def held_out_names(names_seed=CORPUS_SEED):
    """Every name the test split may speak, as word tuples (the leak check uses them)."""
    pools = grammar.build_names(names_seed)
    return {tuple(n.split()) for cat in pools.values() for n in cat["test"]}
