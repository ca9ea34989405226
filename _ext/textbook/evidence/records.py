"""Evidence records: reading ``evidence/*.yaml`` with the line of every field.

Pure Python (PyYAML only): the build, the checker and the tests share it. A file
holds a YAML list of records, one per trial or meta-analysis; the agreed schema
is in ``evidence/README.md``. Nothing here judges a record: see ``rules.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: libyaml's parser where PyYAML has it (several times faster; the same nodes and marks).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Where the records live, relative to the book's root (the folder with conf.py).
EVIDENCE_DIR = "evidence"

#: The closed vocabularies. Extend a list here, in one place; the checker, the
#: build and evidence/README.md (by a test) follow.
KINDS = ("trial", "meta-analysis")
DESIGNS = ("rct-parallel", "rct-crossover", "open-label", "single-arm", "observational", "meta-analysis")
CONTROLLED_DESIGNS = ("rct-parallel", "rct-crossover", "meta-analysis")
BLINDING = ("double", "single", "open")
DIRECTIONS = ("positive", "negative", "mixed")
#: Which arm the primary outcome favoured (optional; read with ``direction`` for the alt text):
#: "comparator" where the comparator did significantly better, "neither" for no significant difference.
FAVOURED = ("intervention", "comparator", "neither")
UNITS = ("hours", "days", "weeks")
INDICATIONS = (
    "trd", "mdd", "suicidal-ideation", "bipolar-depression", "ptsd", "gad", "social-anxiety", "ocd",
    "alcohol-use", "cocaine-use", "chronic-pain", "crps", "fibromyalgia", "neuropathic-pain",
    "cancer-distress", "palliative", "eating-disorder",
)
#: How an indication is named in figures, tables and alt text.
INDICATION_NAMES = {
    "trd": "treatment-resistant depression", "mdd": "major depression",
    "suicidal-ideation": "suicidal ideation", "bipolar-depression": "bipolar depression",
    "ptsd": "PTSD", "gad": "generalised anxiety", "social-anxiety": "social anxiety", "ocd": "OCD",
    "alcohol-use": "alcohol use disorder", "cocaine-use": "cocaine use disorder",
    "chronic-pain": "chronic pain", "crps": "CRPS", "fibromyalgia": "fibromyalgia",
    "neuropathic-pain": "neuropathic pain", "cancer-distress": "distress in cancer",
    "palliative": "palliative care", "eating-disorder": "eating disorders",
}
HOURS_PER = {"hours": 1, "days": 24, "weeks": 168}


@dataclass
class Record:
    """One record as written, with where each field is."""

    data: dict[str, Any]
    path: str  # as shown in messages, e.g. evidence/ptsd.yaml
    line: int  # the record's first line
    lines: dict[str, int] = field(default_factory=dict)  # "effect.ci" -> line
    #: Each scalar as written ("effect.ci.0" -> "-6.60"): a number keeps its reported decimals.
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))

    def line_of(self, key: str) -> int:
        """The line of a field (dotted for nested ones), else of its parent, else of the record."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return self.line

    def text_of(self, dotted: str) -> str | None:
        """A scalar field as the YAML wrote it (``-4.0``, not the float's ``-4``), else None."""
        return self.texts.get(dotted)

    def get(self, dotted: str, default: Any = None) -> Any:
        value: Any = self.data
        for part in dotted.split("."):
            if not isinstance(value, dict) or part not in value:
                return default
            value = value[part]
        return value


@dataclass
class FileProblem:
    path: str
    line: int
    message: str
    rule: str


def _note_lines(node: yaml.Node, prefix: str, lines: dict[str, int], texts: dict[str, str]) -> None:
    if isinstance(node, yaml.ScalarNode) and prefix:
        texts.setdefault(prefix[:-1], node.value)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            lines.setdefault(key, key_node.start_mark.line + 1)
            _note_lines(value_node, key + ".", lines, texts)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key = f"{prefix}{index}"
            lines.setdefault(key, item.start_mark.line + 1)
            _note_lines(item, key + ".", lines, texts)


def _compose(text: str) -> yaml.Node | None:
    """The file's node tree: libyaml's fast parser; for a broken file, PyYAML's own, whose
    error names the construct (the wording the bad-input corpus expects)."""
    try:
        return yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


def parse(text: str, path: str) -> tuple[list[Record], list[FileProblem]]:
    """The records of one file's text, or why it cannot be read."""
    try:
        root = _compose(text)
    except yaml.YAMLError as error:
        # where the broken construct starts, else where parsing failed (as for front matter)
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return [], [FileProblem(path, line, f"not valid YAML: {getattr(error, 'problem', None) or error}",
                                "evidence-yaml")]
    if root is None:
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        return [], [FileProblem(path, root.start_mark.line + 1,
                                "an evidence file is a YAML list of records: start each record with '- id:'",
                                "evidence-yaml")]
    records, problems = [], []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.append(FileProblem(path, line, "each item of the list is a record of 'field: value' lines",
                                        "evidence-yaml"))
            continue
        try:
            data = LOADER("").construct_document(item)
        except yaml.YAMLError as error:
            problems.append(FileProblem(path, line, f"not valid YAML: {error}", "evidence-yaml"))
            continue
        lines: dict[str, int] = {}
        texts: dict[str, str] = {}
        _note_lines(item, "", lines, texts)
        records.append(Record(data, path, line, lines, texts))
    return records, problems


def read_file(path: Path, root: Path) -> tuple[list[Record], list[FileProblem]]:
    shown = _shown(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raw = path.read_bytes()
        line = raw.count(b"\n", 0, error.start) + 1
        return [], [FileProblem(shown, line, "not UTF-8 text: save the file as UTF-8", "evidence-yaml")]
    except OSError as error:
        return [], [FileProblem(shown, 1, f"cannot read the file: {error.strerror}", "evidence-yaml")]
    return parse(text, shown)


def evidence_files(root: Path) -> list[Path]:
    return sorted((root / EVIDENCE_DIR).glob("*.yaml"))


def read_all(root: Path) -> tuple[list[Record], list[FileProblem]]:
    """Every record of the book, in file order, and the problems met reading them."""
    records, problems = [], []
    for path in evidence_files(root):
        found, trouble = read_file(path, root)
        records += found
        problems += trouble
    return records, problems


def by_id(records: list[Record]) -> dict[str, Record]:
    """First record per id (a second one is an error the rules report)."""
    index: dict[str, Record] = {}
    for record in records:
        index.setdefault(record.id, record)
    return index


def hours(span: Any) -> float | None:
    """An ``onset``/``lasts`` mapping in hours, or None when absent or malformed."""
    if not isinstance(span, dict):
        return None
    value, unit = span.get("value"), span.get("unit")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or unit not in HOURS_PER:
        return None
    return float(value) * HOURS_PER[unit]


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
