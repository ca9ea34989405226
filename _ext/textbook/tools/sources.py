"""Reading chapter sources without Sphinx: front matter, citation keys, references.bib.

The one reader of these for the chapter checker, the scaffold and the tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

#: {cite}, {cite:p}, {cite:t} and the other sphinxcontrib-bibtex citation roles.
CITE_ROLE = re.compile(r"\{(?:foot)?cite(?::\w+)?\}`([^`]*)`")
#: {term}`name` and {term}`shown text <name>`: a link to a glossary entry.
TERM_ROLE = re.compile(r"\{term\}`([^`]*)`")


@dataclass(frozen=True)
class Citation:
    path: Path
    line: int
    key: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.key}"


def cited_keys(text: str) -> Iterator[tuple[int, str]]:
    """(line, key) for every citation key in a MyST text."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in CITE_ROLE.finditer(line):
            for key in match.group(1).split(","):
                if key.strip():
                    yield number, key.strip()


def citations(path: Path) -> Iterator[Citation]:
    """Every citation key in a MyST file, with its line."""
    for number, key in cited_keys(path.read_text(encoding="utf-8")):
        yield Citation(path, number, key)


def bib_keys(bib: Path) -> dict[str, int]:
    """Entry keys of a .bib file, with the line each starts on."""
    return {key: entry["line"] for key, entry in read_bib(bib.read_text(encoding="utf-8")).items()}


def lesson_front_matter(path: Path) -> dict | None:
    """The ``lesson`` mapping of a chapter's front matter, or None if it has none."""
    front, _ = read_front_matter(path.read_text(encoding="utf-8", errors="replace").splitlines())
    lesson = front.get("lesson") if front else None
    return lesson if isinstance(lesson, dict) else None


def lesson_files(root: Path) -> list[Path]:
    """The chapters of a book that are lessons (they have ``lesson`` front matter)."""
    return sorted(p for p in (root / "chapters").glob("*.md") if lesson_front_matter(p) is not None)


def term_links(text: str) -> Iterator[tuple[int, str]]:
    """(line, target) for every {term} link in a MyST text; the target as written."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in TERM_ROLE.finditer(line):
            content = match.group(1).strip()
            explicit = re.fullmatch(r"(?s).*?<([^<>]+)>", content)
            yield number, (explicit.group(1) if explicit else content).strip()


def glossary_terms(text: str) -> dict[str, int]:
    """Terms defined by the {glossary} directives of a MyST text, lowercased, with their lines.

    In a glossary, a term is an unindented line; its definition is indented
    beneath it, and several term lines in a row name one entry.
    """
    terms: dict[str, int] = {}
    fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if fence is None:
            opening = re.match(r"^(`{3,}|:{3,})\{glossary\}", stripped)
            fence = opening.group(1) if opening else None
            continue
        if stripped and stripped[0] == fence[0] and set(stripped) == {fence[0]} \
                and len(stripped) >= len(fence):
            fence = None
        elif stripped and not line[0].isspace() and not stripped.startswith(":"):
            terms.setdefault(stripped.lower(), number)
    return terms


def read_front_matter(lines: list[str]) -> tuple[dict | None, tuple[int, str] | None]:
    if not lines or lines[0].strip() != "---":
        return None, None
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            try:
                data = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError as error:
                # where the broken construct starts, else where parsing failed
                mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
                line = mark.line + 2 if mark else 1
                return None, (line, f"front matter is not valid YAML: {getattr(error, 'problem', error)}")
            if not isinstance(data, dict):
                return None, (1, "front matter must be a mapping of keys")
            return data, None
    return None, (1, "front matter opened with '---' is never closed")


def _bib_fields(body: str) -> Iterator[tuple[str, str]]:
    """name = {value} / "value" / bare pairs of an entry body; braces may nest."""
    position = 0
    while (start := re.compile(r"(\w+)\s*=\s*").search(body, position)):
        name, i = start.group(1).lower(), start.end()
        if i < len(body) and body[i] in "{\"":
            closer, depth, j = ("}" if body[i] == "{" else "\""), 0, i
            while j < len(body):
                if body[i] == "{" and body[j] == "{":
                    depth += 1
                elif body[j] == closer and (body[i] == "\"" and j > i or depth == 1):
                    break
                elif body[j] == "}":
                    depth -= 1
                j += 1
            yield name, body[i + 1:j].strip()
            position = j + 1
        else:
            bare = re.match(r"[^,\s}]*", body[i:]).group(0)
            yield name, bare
            position = i + len(bare)


def read_bib(text: str) -> dict[str, dict]:
    entries: dict[str, dict] = {}
    for match in re.finditer(r"^@\s*(\w+)\s*\{\s*([^,\s]+)\s*,(.*?)^\}", text, re.MULTILINE | re.DOTALL):
        fields = dict(_bib_fields(match.group(3)))
        key = match.group(2)
        line = text.count("\n", 0, match.start()) + 1
        entries.setdefault(key, {"type": match.group(1).lower(), "line": line, "fields": fields,
                                 "duplicates": []})
        if entries[key]["line"] != line:
            entries[key]["duplicates"].append(line)
    return entries
