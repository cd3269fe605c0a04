"""Runs one of icefall's export scripts unchanged, with the stubs installed first.

  run_export.py RECIPE_DIR SCRIPT [script arguments…]

EARSHOT_PARAMS (JSON) overrides entries of the recipe's get_params() that have no command-line
flag (the LSTM recipe fixes decoder_dim, joiner_dim and dim_feedforward there).
"""
import json
import os
import runpy
import sys
from pathlib import Path

recipe_dir, script, *args = sys.argv[1:]
sys.path[:0] = [str(Path(__file__).resolve().parent), recipe_dir, str(Path(recipe_dir).parents[3])]
import icefall_stubs  # noqa: E402,F401
import train  # noqa: E402

overrides = json.loads(os.environ.get("EARSHOT_PARAMS", "{}"))
recipe_get_params = train.get_params


def get_params():
    params = recipe_get_params()
    params.update(overrides)
    return params


train.get_params = get_params
sys.argv = [script, *args]
runpy.run_path(str(Path(recipe_dir) / script), run_name="__main__")
