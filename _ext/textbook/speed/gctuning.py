"""Less garbage-collector work in a command-line build.

A Sphinx build allocates a large graph of long-lived objects (the environment,
doctrees, formatted references) in which docutils' parent links make cycles.
CPython's collector, tuned for short-lived objects, walks that graph again and
again while it grows, and once more when the process exits. On the 10-chapter
benchmark book this was about a third of an incremental build (benchmarks/).

So, in a ``sphinx-build`` process only (never when Sphinx is used as a library,
as by the tests, where frozen objects would never be freed):

- at ``config-inited``, before the environment is unpickled, collections are made
  rarer, as mypy does for its own large graphs;
- in a parallel build (``-j``), the heap is frozen before Sphinx forks its readers
  and again before its writers, so that the workers' collections do not copy the
  parent's memory (without it, ``-j 2`` was slower than ``-j 1`` at 200 chapters);
- at ``build-finished`` the heap is frozen (``gc.freeze``): the process is about to
  exit, and the operating system frees its memory without the collector walking it.

``textbook_gc_tuning = False`` in conf.py turns both off.

Works around: CPython's generational collector thresholds (700, 10, 10), measured
with CPython 3.11.7 and Sphinx 9.0.4. Delete when the interpreter's collector no
longer rescans old objects this way (CPython 3.14's incremental collector may).
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

#: Allocations before a young-generation collection, and the two older generations' ratios
#: (CPython's defaults: 700, 10, 10).
BUILD_THRESHOLDS = (50_000, 50, 100)


def is_command_line_build() -> bool:
    """True in ``sphinx-build`` or ``python -m sphinx``; false in a test or another program."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name == "sphinx.__main__":
        return True
    return Path(sys.argv[0]).name == "sphinx-build" if sys.argv else False


def may_fork_helper() -> bool:
    """Whether a build may fork a helper process: a command-line build with no other thread.

    A fork copies only the forking thread; in a program with other threads (the test
    session's browser tests) a lock another thread held stays held in the child.
    """
    import threading

    return hasattr(os, "fork") and is_command_line_build() and threading.active_count() == 1


def collect_less_often(app, config) -> None:
    if config.textbook_gc_tuning and is_command_line_build():
        gc.set_threshold(*BUILD_THRESHOLDS)


def freeze_before_forks(app, *args) -> None:
    """Before Sphinx forks its parallel readers or writers, freeze what exists so far.

    A forked worker's collections would otherwise touch every object inherited from
    the parent, copying its memory page by page (the advice in the gc module's
    documentation for fork without exec).
    """
    if app.config.textbook_gc_tuning and app.parallel > 1 and is_command_line_build():
        gc.freeze()


def freeze_before_exit(app, exception) -> None:
    if app.config.textbook_gc_tuning and is_command_line_build():
        gc.freeze()
