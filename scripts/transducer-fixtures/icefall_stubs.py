"""Lets icefall's model and export code import where k2, lhotse, kaldialign, tensorboard,
pypinyin, onnxruntime and packaging are missing (Debian has none of them).

Only k2's Swoosh activations are computed by the model code; they are written here in
plain torch. Everything else icefall imports from those packages is used by data loading,
decoding or logging, none of which the fixture build runs: those names resolve to inert
placeholders. Import this module before any icefall module.
"""
import importlib.abc
import importlib.machinery
import sys
import types

import torch

FAKED = ("k2", "lhotse", "kaldialign", "tensorboard", "torch.utils.tensorboard", "pypinyin", "onnxruntime", "packaging")


class _PlaceholderType(type):
    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Placeholder


class _Placeholder(metaclass=_PlaceholderType):
    """Stands in for any class, function or constant of a faked package: callable, subclassable, inert."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return _Placeholder()

    def __getattr__(self, name):
        return _Placeholder()


class _FakeModule(types.ModuleType):
    def __getattr__(self, name):
        if name in ("__version__", "__build_type__", "__git_sha1__", "__git_date__"):
            return "stub"
        if name.startswith("__"):
            raise AttributeError(name)
        value = type(name, (_Placeholder,), {})
        setattr(self, name, value)
        return value


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if any(fullname == f or fullname.startswith(f + ".") for f in FAKED):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _FakeModule(spec.name)
        module.__path__ = []
        module.__file__ = f"<{spec.name} stub>"
        return module

    def exec_module(self, module):
        if module.__name__ == "k2":
            _fill_k2(module)
        if module.__name__ == "packaging":
            module.version = types.SimpleNamespace(parse=_parse_version)


def swoosh_l_forward(x):
    return torch.logaddexp(torch.zeros_like(x), x - 4.0) - 0.08 * x - 0.035


def swoosh_r_forward(x):
    return torch.logaddexp(torch.zeros_like(x), x - 1.0) - 0.08 * x - 0.313261687


def _forward_and_deriv(offset, fn):
    def run(x):
        return fn(x), torch.sigmoid(x - offset) - 0.08

    return run


class SymbolTable:
    """k2.SymbolTable.from_file as export-onnx uses it: `symbol id` lines."""

    def __init__(self, sym2id):
        self._sym2id = sym2id
        self._id2sym = {i: s for s, i in sym2id.items()}

    @staticmethod
    def from_file(path):
        pairs = (line.split() for line in open(path, encoding="utf-8") if line.strip())
        return SymbolTable({s: int(i) for s, i in pairs})

    def __getitem__(self, key):
        return self._id2sym[key] if isinstance(key, int) else self._sym2id[key]

    def __contains__(self, key):
        return key in (self._id2sym if isinstance(key, int) else self._sym2id)

    @property
    def symbols(self):
        return list(self._sym2id)

    @property
    def ids(self):
        return list(self._id2sym)


def _parse_version(text):
    """packaging.version.parse for the torch-version comparisons icefall makes."""
    return tuple(int("".join(c for c in part if c.isdigit()) or 0) for part in text.split("+")[0].split(".")[:3])


def _fill_k2(k2):
    k2.swoosh_l_forward = swoosh_l_forward
    k2.swoosh_r_forward = swoosh_r_forward
    # Autograd through the plain-torch forms gives the same gradients as k2's kernels.
    k2.swoosh_l = swoosh_l_forward
    k2.swoosh_r = swoosh_r_forward
    k2.swoosh_l_forward_and_deriv = _forward_and_deriv(4.0, swoosh_l_forward)
    k2.swoosh_r_forward_and_deriv = _forward_and_deriv(1.0, swoosh_r_forward)
    k2.SymbolTable = SymbolTable
    k2.with_cuda = False


sys.meta_path.insert(0, _Finder())
