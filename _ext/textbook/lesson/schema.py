"""The lesson front matter: what it must hold, and the reader-facing header it makes.

Pure Python (no Sphinx), so that the build and the chapter checker judge a
chapter's front matter by the same rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The margin-note kinds a chapter may use, with the title each shows.
MARGIN_NOTE_KINDS = {
    "evidence-supports": "Where the evidence supports use",
    "ahead-of-evidence": "Where practice runs ahead of the evidence",
    "clinical-pearl": "Clinical pearl",
    "caution": "Caution",
}

#: The kinds of chapter. A concept lesson belongs to a stage of the learning
#: path; a deep dive belongs to a series of articles.
KINDS = ("concept", "deep-dive")

REQUIRED = {
    "concept": ("id", "kind", "stage", "concept", "title", "subtitle", "reviewed"),
    "deep-dive": ("id", "kind", "series", "part", "title", "subtitle", "reviewed"),
}
ALLOWED = set(REQUIRED["concept"]) | set(REQUIRED["deep-dive"])


@dataclass(frozen=True)
class Lesson:
    """A validated lesson header."""

    id: str
    kind: str
    title: str
    subtitle: str
    reviewed: dt.date
    #: "Stage 14 · Psychedelics & Neuroplastic Renewal" or the series name.
    context: str
    #: "Concept 4 of 5" or "Part 4".
    position: str
    #: Sorts lessons in reading order: concept lessons by stage and number,
    #: then deep dives by series and part.
    sort_key: tuple


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a front matter; ``key`` locates it in the source."""

    key: str | None
    message: str


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def validate(
    data: Any,
    *,
    stages: dict[int, str],
    concepts_per_stage: int,
    series: dict[str, dict[str, str]],
    today: dt.date | None = None,
) -> tuple[Lesson | None, list[Problem]]:
    """Check a ``lesson`` front-matter mapping; return the lesson or the problems."""
    if not isinstance(data, dict):
        return None, [Problem("lesson", "'lesson' must be a mapping of keys (id, kind, title, ...)")]
    problems: list[Problem] = []
    for key in sorted(map(str, set(data) - ALLOWED)):
        problems.append(Problem(key, f"unknown key '{key}' (allowed: {', '.join(sorted(ALLOWED))})"))
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        problems.append(Problem("kind" if "kind" in data else "lesson",
                                f"'kind' must be one of {', '.join(KINDS)}, not {kind!r}"))
        return None, problems
    missing = [key for key in REQUIRED[kind] if data.get(key) in (None, "")]
    for key in missing:
        problems.append(Problem("lesson", f"missing '{key}' (a {kind} needs: {', '.join(REQUIRED[kind])})"))
    if missing:
        return None, problems

    title, subtitle = str(data["title"]).strip(), str(data["subtitle"]).strip()
    reviewed = _as_date(data["reviewed"])
    if reviewed is None:
        problems.append(Problem("reviewed", f"'reviewed' must be a date as YYYY-MM-DD, not {data['reviewed']!r}"))
    elif reviewed > (today or dt.date.today()):
        problems.append(Problem("reviewed", f"'reviewed' date {reviewed} is in the future"))
    lesson_id = str(data["id"]).strip()

    if kind == "concept":
        stage, number = _as_int(data["stage"]), _as_int(data["concept"])
        if stage not in stages:
            problems.append(Problem("stage", f"unknown stage {data['stage']!r} (known: {', '.join(map(str, stages))})"))
        if number is None or not 1 <= number <= concepts_per_stage:
            problems.append(Problem("concept", f"'concept' must be a whole number from 1 to {concepts_per_stage}"))
        if not problems and lesson_id != f"L{stage}.{number}":
            problems.append(Problem("id", f"id '{lesson_id}' does not match stage {stage}, concept {number}: "
                                          f"it should be 'L{stage}.{number}'"))
        if problems:
            return None, problems
        return Lesson(lesson_id, kind, title, subtitle, reviewed,
                      context=f"Stage {stage} · {stages[stage]}",
                      position=f"Concept {number} of {concepts_per_stage}",
                      sort_key=(0, stage, number)), []

    name, part = data["series"], _as_int(data["part"])
    if not isinstance(name, str) or name not in series:
        problems.append(Problem("series", f"unknown series {name!r} (known: {', '.join(series)})"))
    if part is None or part < 1:
        problems.append(Problem("part", "'part' must be a whole number from 1"))
    if not problems and lesson_id != f"{series[name]['prefix']}{part}":
        problems.append(Problem("id", f"id '{lesson_id}' does not match series {name!r}, part {part}: "
                                      f"it should be '{series[name]['prefix']}{part}'"))
    if problems:
        return None, problems
    return Lesson(lesson_id, kind, title, subtitle, reviewed,
                  context=series[name]["title"], position=f"Part {part}",
                  sort_key=(1, name, part)), []


_FENCE = re.compile(r"^---\s*$")


def front_matter_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (line number, line) for the lines inside a leading YAML front matter."""
    lines = text.splitlines()
    if not lines or not _FENCE.match(lines[0]):
        return
    for number, line in enumerate(lines[1:], start=2):
        if _FENCE.match(line):
            return
        yield number, line


def key_line(source: str | Path, key: str | None) -> int:
    """The line of ``key:`` in a file's front matter (the first line if not found)."""
    try:
        text = Path(source).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 1
    return key_line_in(text, key)


def key_line_in(text: str, key: str | None) -> int:
    """The line of ``key:`` in a text's front matter (the first line if not found)."""
    pattern = re.compile(rf"^\s*{re.escape(key or 'lesson')}\s*:")
    for number, line in front_matter_lines(text):
        if pattern.match(line):
            return number
    return 1
