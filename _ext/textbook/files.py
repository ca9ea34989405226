"""Files the build keeps or publishes, written whole or not at all (shared by the wings)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def whole_file(path: Path) -> Iterator[Path]:
    """A temporary name beside ``path`` to write to; it becomes ``path`` in one rename when
    the block ends without an error (and is removed when it does not).

    A reader, or the next build after one that was killed half-way, finds the old file or
    the new one, never part of one. Several processes (parallel writers, the helper
    processes) may write the same file at once; each has its own temporary name and the
    last rename wins, which is fine for files that hold the same thing whoever writes them.
    """
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        yield partial
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
