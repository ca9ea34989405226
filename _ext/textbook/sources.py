"""Reading chapter sources without Sphinx: citation keys and lesson front matter.

Shared by the tests and the chapter checker, so both see a chapter as the build does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from .lesson import front_matter_lines

#: {cite}, {cite:p}, {cite:t} and the other sphinxcontrib-bibtex citation roles.
CITE_ROLE = re.compile(r"\{(?:foot)?cite(?::\w+)?\}`([^`]*)`")
BIB_ENTRY = re.compile(r"^@\s*(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


@dataclass(frozen=True)
class Citation:
    path: Path
    line: int
    key: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.key}"


def citations(path: Path) -> Iterator[Citation]:
    """Every citation key in a MyST file, with its line."""
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        for match in CITE_ROLE.finditer(line):
            for key in match.group(1).split(","):
                # a key may carry pre/post text as in {cite:p}`see {key}, p. 3`; keep the key
                key = key.strip()
                if key:
                    yield Citation(path, number, key)


def bib_keys(bib: Path) -> dict[str, int]:
    """Entry keys of a .bib file, with the line each starts on."""
    text = bib.read_text(encoding="utf-8")
    return {m.group(2): text.count("\n", 0, m.start()) + 1 for m in BIB_ENTRY.finditer(text)}


def lesson_front_matter(path: Path) -> dict | None:
    """The ``lesson`` mapping of a chapter's front matter, or None if it has none."""
    text = path.read_text(encoding="utf-8", errors="replace")
    block = "\n".join(line for _, line in front_matter_lines(text))
    if not block:
        return None
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError:
        return None
    return data.get("lesson") if isinstance(data, dict) else None


def lesson_files(root: Path) -> list[Path]:
    """The chapters of a book that are lessons (they have ``lesson`` front matter)."""
    return sorted(p for p in (root / "chapters").glob("*.md") if lesson_front_matter(p) is not None)
