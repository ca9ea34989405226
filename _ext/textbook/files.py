"""Files the build keeps or publishes, written whole or not at all (shared by the wings)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


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


def stamps(*paths: Path) -> list:
    """Each file's name, size and modification time (nanoseconds): what ``kept_while`` compares."""
    return [[str(path), path.stat().st_size, path.stat().st_mtime_ns] for path in paths]


def kept_while(record: Path, stamp: list, make: Callable[[], Any]) -> Any:
    """``make()``'s JSON-able result, kept in ``record`` and reused while ``stamp`` is unchanged.

    For what is read out of files that change only when a library is updated (a theme's
    stylesheet): the result is made again when any stamped file's size or time differs,
    or when ``record`` is missing or unreadable. A folder that cannot be written costs
    only the making.
    """
    try:
        saved = json.loads(record.read_text(encoding="utf-8"))
        if saved["stamp"] == stamp:
            return saved["value"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    value = make()
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        with whole_file(record) as partial:
            partial.write_text(json.dumps({"stamp": stamp, "value": value}), encoding="utf-8")
    except OSError:
        pass
    return value
