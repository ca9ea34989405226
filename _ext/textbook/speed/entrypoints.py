"""Installed packages' entry points read once per process, not once per look-up.

Works around: ``importlib.metadata.entry_points`` (Python 3.11.7) opens every
installed distribution's ``entry_points.txt`` (75 in the book's virtual
environment) on every call. A build calls it about ten times: pybtex 0.26.1 for
each plugin it looks up and registers, sphinxcontrib-bibtex 2.7.0 for its style
plugins at ``builder-inited``, Pygments 2.21.0 once per plugin group (its styles, when
pydata-sphinx-theme 0.20.0 writes ``pygments.css``), Sphinx 9.0.4 for themes.
Measured on the 10-chapter synthetic book: about 0.1 s of every build, no-op
included. Here the first call reads every distribution once and later calls select
from that list (the same entry points in the same order: tests/speed). The
installed packages do not change while a build runs. Delete when importlib.metadata
caches (or the libraries above look up less often).
"""

from __future__ import annotations

import importlib.metadata
import sys

_all = None
_original = importlib.metadata.entry_points

#: Modules that bound ``entry_points`` by name at import (``from importlib.metadata import
#: entry_points``); Pygments imports it inside its function, so it sees the module's.
USERS = ("pybtex.plugin", "sphinxcontrib.bibtex.plugin", "sphinx.theming")


def entry_points(**params):
    global _all
    if _all is None:
        _all = _original()
    return _all.select(**params) if params else _all


def read_entry_points_once() -> None:
    importlib.metadata.entry_points = entry_points
    for name in USERS:
        module = sys.modules.get(name)
        if module is None:
            try:
                module = importlib.import_module(name)
            except ImportError:
                continue
        if getattr(module, "entry_points", None) is _original:
            module.entry_points = entry_points
