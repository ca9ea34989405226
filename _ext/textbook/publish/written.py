"""What an HTML build wrote: one walk of the output folder, shared by the steps after the build.

Three ``build-finished`` steps read the files a build wrote: the icon-font cut and the
CSS purge (the pages' and scripts' words) and the safety scan (every page). Each used
to walk the output folder itself, about 8 ms a walk on the 10-chapter synthetic book;
this module walks it once per build, when the first of them asks, and gives each the
files with their modification times. The steps after it write only stylesheets, fonts
and images, which none of them reads from this list.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

#: output folder -> when its build began (``builder-inited``).
_started: dict[str, float] = {}
#: output folder -> [(file, modification time)], walked once per build.
_walked: dict[str, list[tuple[Path, float]]] = {}


def note_start(app) -> None:
    """``builder-inited``: the time a step compares with, and a fresh walk for this build."""
    _started[str(app.outdir)] = time.time()
    _walked.pop(str(app.outdir), None)


def started(outdir) -> float:
    """When the current build of ``outdir`` began (0 if unknown: every file counts as new)."""
    return _started.get(str(outdir), 0.0)


def output_files(outdir) -> list[tuple[Path, float]]:
    """Every file under ``outdir`` with its modification time, from this build's one walk."""
    key = str(outdir)
    if key not in _walked:
        found = []
        for folder, _, names in os.walk(key):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    found.append((Path(path), os.stat(path).st_mtime))
                except OSError:
                    continue  # removed meanwhile
        _walked[key] = found
    return _walked[key]
