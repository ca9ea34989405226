"""What makes an evidence record valid, and the checker's evidence rules.

Pure Python: the build reports these problems with Sphinx's logger, the checker
(``python -m textbook.tools.check``) prints them, both as ``file:line``. Every message
here is exact: tests/bad_input/EXPECTED.tsv holds one per rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import records as rec
from .records import FileProblem, Record

REQUIRED = ("id", "cite", "label", "kind", "indication", "population", "design", "n_randomised", "arms",
            "comparator", "primary_outcome", "effect", "direction", "durability", "verified")
ID = re.compile(r"^[a-z0-9-]+$")

#: rule id -> (severity, what it checks); the checker lists these with --rules.
EVIDENCE_RULES = {
    "evidence-yaml": ("error", "An evidence file is UTF-8 YAML: a list of records."),
    "evidence-fields": ("error", "Each record has every required field, and a well-formed id."),
    "evidence-vocabulary": ("error", "kind, design, direction, favoured, indication, blinding and units come from "
                            "fixed lists."),
    "evidence-cite": ("error", "Each record's cite key is in references.bib."),
    "evidence-n": ("error", "n_randomised is a positive whole number; n_analysed is no larger."),
    "evidence-ci": ("error", "A confidence interval runs low to high and contains its estimate."),
    "evidence-duplicate": ("error", "A trial is recorded once: ids are unique across evidence/*.yaml."),
}


def _problem(record: Record, key: str, message: str, rule: str) -> FileProblem:
    return FileProblem(record.path, record.line_of(key), message, rule)


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_record(record: Record, bib_keys: set[str] | None) -> Iterator[FileProblem]:
    data = record.data
    name = record.id or "this record"
    for key in REQUIRED:
        if data.get(key) in (None, "", [], {}):
            yield _problem(record, key, f"{name}: missing required field '{key}'", "evidence-fields")
    if "id" in data and not ID.match(str(data["id"])):
        yield _problem(record, "id", f"id '{data['id']}' must be lowercase letters, digits and hyphens",
                       "evidence-fields")
    for key, allowed in (("kind", rec.KINDS), ("design", rec.DESIGNS), ("direction", rec.DIRECTIONS),
                         ("indication", rec.INDICATIONS), ("blinding", rec.BLINDING), ("favoured", rec.FAVOURED),
                         ("onset.unit", rec.UNITS), ("lasts.unit", rec.UNITS)):
        value = record.get(key)
        if value not in (None, "") and value not in allowed:
            yield _problem(record, key, f"{name}: unknown {key} '{value}'; use one of: {', '.join(allowed)}",
                           "evidence-vocabulary")
    favoured, direction = data.get("favoured"), data.get("direction")
    if (favoured, direction) in (("comparator", "positive"), ("intervention", "negative")):
        yield _problem(record, "favoured", f"{name}: favoured '{favoured}' contradicts direction '{direction}'",
                       "evidence-vocabulary")
    for key in ("primary_outcome.instrument", "primary_outcome.timepoint"):
        if isinstance(data.get("primary_outcome"), dict) and not record.get(key):
            yield _problem(record, key, f"{name}: missing required field '{key}'", "evidence-fields")
    if isinstance(data.get("effect"), dict) and not record.get("effect.measure"):
        yield _problem(record, "effect", f"{name}: missing required field 'effect.measure'", "evidence-fields")
    if isinstance(data.get("arms"), list):
        for index, arm in enumerate(data["arms"]):
            if not isinstance(arm, dict) or not arm.get("drug"):
                yield _problem(record, f"arms.{index}", f"{name}: each arm names its 'drug'", "evidence-fields")
    cite = data.get("cite")
    if cite and bib_keys is not None and str(cite) not in bib_keys:
        yield _problem(record, "cite", f"{name}: cite key '{cite}' is not in references.bib", "evidence-cite")
    for key in ("n_randomised", "n_analysed", "trials_pooled"):
        value = data.get(key)
        if value is not None and not _positive_int(value):
            yield _problem(record, key, f"{name}: {key} must be a positive whole number (got '{value}')",
                           "evidence-n")
    randomised, analysed = data.get("n_randomised"), data.get("n_analysed")
    if _positive_int(randomised) and _positive_int(analysed) and analysed > randomised:
        yield _problem(record, "n_analysed",
                       f"{name}: n_analysed ({analysed}) is larger than n_randomised ({randomised})", "evidence-n")
    yield from _check_effect(record, name)
    for key in ("onset.value", "lasts.value"):
        value = record.get(key)
        if record.get(key.split(".")[0]) is not None and not (_number(value) and value > 0):
            yield _problem(record, key, f"{name}: {key} must be a positive number (got '{value}')", "evidence-n")


def _check_effect(record: Record, name: str) -> Iterator[FileProblem]:
    estimate, ci = record.get("effect.estimate"), record.get("effect.ci")
    if estimate is not None and not _number(estimate):
        yield _problem(record, "effect.estimate", f"{name}: effect.estimate must be a number (got '{estimate}')",
                       "evidence-ci")
        return
    if ci is None:
        return
    if not (isinstance(ci, list) and len(ci) == 2 and all(_number(v) for v in ci)):
        yield _problem(record, "effect.ci", f"{name}: effect.ci must be two numbers, [low, high]", "evidence-ci")
        return
    low, high = ci
    if low > high:
        yield _problem(record, "effect.ci",
                       f"{name}: the confidence interval [{low}, {high}] has its low end above its high end",
                       "evidence-ci")
    elif estimate is not None and not low <= estimate <= high:
        yield _problem(record, "effect.ci",
                       f"{name}: the confidence interval [{low}, {high}] does not contain the estimate {estimate}",
                       "evidence-ci")


def validate(records: list[Record], bib_keys: set[str] | None) -> list[FileProblem]:
    """Every problem of every record, including ids recorded twice across files."""
    problems: list[FileProblem] = []
    first: dict[str, Record] = {}
    for record in records:
        problems.extend(check_record(record, bib_keys))
        if not record.id:
            continue
        if record.id in first:
            other = first[record.id]
            problems.append(_problem(record, "id", f"{record.id}: recorded twice (first at {other.path}:"
                                     f"{other.line}); a trial is recorded once", "evidence-duplicate"))
        else:
            first[record.id] = record
    return problems


# -- Directive options, shared by the build and the checker --------------------------------

def id_list(text: str | None) -> list[str]:
    """'a, b c' -> ['a', 'b', 'c']: ids or indications as a directive option lists them."""
    return [part for part in re.split(r"[\s,]+", text or "") if part]


def select(index: dict[str, Record], ids: list[str], indications: list[str]) -> list[Record]:
    """The records a directive names: its ids in order, then every record of its indications."""
    chosen = [index[i] for i in ids if i in index]
    for indication in indications:
        chosen += [r for r in index.values() if r.get("indication") == indication and r not in chosen]
    return chosen


# -- The checker's rules ----------------------------------------------------------------------

EVIDENCE_DIRECTIVES = ("evidence-figure", "evidence-table")
OPTION = re.compile(r"^\s*:(trials|indications):\s*(.*)$")
CITE = re.compile(r"\{(?:foot)?cite(?::\w+)?\}`([^`]*)`")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])|\s\|\s")
STATED_N = re.compile(
    r"(?<!\bof )(?<![\d.,])\b(\d{1,3}(?:,\d{3})*|\d+)\s+(?:adults|people|patients|participants|veterans|"
    r"outpatients|inpatients|subjects|individuals|women|men)\b|\bn\s*=\s*(\d+)", re.IGNORECASE)
#: A count said to span several trials ("840 people had been randomised across the two
#: trials") is not one trial's n.
POOLED = re.compile(r"^[^.;]{0,40}\b(?:across|combined|together|pooled|in total)\b", re.IGNORECASE)


def book_records(book: Any) -> tuple[list[Record], list[FileProblem], dict[str, Record]]:
    """The book's records, read and validated once per checker run (kept on the Book)."""
    cached = book.__dict__.get("_evidence")
    if cached is None:
        found, problems = rec.read_all(Path(book.root))
        problems = problems + validate(found, set(book.bib_entries))
        cached = (found, problems, rec.by_id(found))
        book.__dict__["_evidence"] = cached
    return cached


def _file_rule(rule_id: str) -> Callable:
    def check(book: Any, path: Path) -> Iterator[tuple[int, str]]:
        found, problems, _ = book_records(book)
        shown = rec._shown(Path(path), Path(book.root))
        extra: list[FileProblem] = []
        if not Path(path).resolve().is_relative_to((Path(book.root) / rec.EVIDENCE_DIR).resolve()):
            # A file named on the command line outside evidence/: checked alone.
            records, extra = rec.read_file(Path(path), Path(book.root))
            extra += validate(records, set(book.bib_entries))
        for problem in problems + extra:
            if problem.path == shown and problem.rule == rule_id:
                yield problem.line, problem.message
    return check


def directive_ids(ch: Any) -> Iterator[tuple[int, str, str]]:
    """(line, option, value) for every id and indication an evidence directive names."""
    for directive in ch.directives:
        if directive.name not in EVIDENCE_DIRECTIVES:
            continue
        for number, line in directive.body:
            option = OPTION.match(line)
            if option:
                for value in id_list(option.group(2)):
                    yield number, option.group(1), value


def check_directive_ids(ch: Any) -> Iterator[tuple[int, str]]:
    """Every evidence directive names records and indications that exist."""
    _, _, index = book_records(ch.book)
    for number, option, value in directive_ids(ch):
        if option == "trials" and value not in index:
            yield number, f"no evidence record with id '{value}' (records are in evidence/*.yaml)"
        elif option == "indications" and value not in rec.INDICATIONS:
            yield number, f"unknown indication '{value}'; use one of: {', '.join(rec.INDICATIONS)}"


def check_prose_n(ch: Any) -> Iterator[tuple[int, str]]:
    """A sample size stated next to a trial's citation matches its evidence record."""
    _, _, index = book_records(ch.book)
    by_cite: dict[str, list[Record]] = {}
    for record in index.values():
        by_cite.setdefault(str(record.data.get("cite")), []).append(record)
    for number, line in enumerate(ch.lines, 1):
        if line.lstrip().startswith(("%", ":", "<!--")):
            continue
        for sentence in SENTENCE_END.split(line):
            start = 0
            for match in CITE.finditer(sentence):
                before, start = sentence[start:match.start()], match.end()
                keys = [k.strip() for k in match.group(1).split(",") if k.strip()]
                if len(keys) != 1 or len(by_cite.get(keys[0], ())) != 1:
                    continue
                record = by_cite[keys[0]][0]
                stated = [int((m.group(1) or m.group(2)).replace(",", "")) for m in STATED_N.finditer(before)
                          if not POOLED.match(before[m.end():])]
                known = {record.data.get("n_randomised"), record.data.get("n_analysed")}
                # A number below the total may be an arm or a subgroup ("99 given ketamine, 96
                # placebo"): only a sentence that states none of the record's sizes and a larger
                # one ("41 people" against n_randomised 40) is flagged.
                largest = max((n for n in known if isinstance(n, int)), default=0)
                if stated and not known.intersection(stated) and max(stated) > largest:
                    yield number, (f"this sentence gives n={stated[0]} next to {keys[0]}, but its evidence "
                                   f"record '{record.id}' has n_randomised {record.data.get('n_randomised')}")


def rules(rule_class: type) -> list:
    """The evidence rules as the checker's ``Rule`` objects (check.py registers them)."""
    made = [rule_class(rule_id, severity, "evidence", _file_rule(rule_id), doc)
            for rule_id, (severity, doc) in EVIDENCE_RULES.items()]
    made.append(rule_class("evidence-id", "error", "chapter", check_directive_ids,
                           (check_directive_ids.__doc__ or "").strip()))
    made.append(rule_class("evidence-prose-n", "warning", "chapter", check_prose_n,
                           (check_prose_n.__doc__ or "").strip()))
    return made


_RECORDS_BY_ROOT: dict[str, dict[str, Record]] = {}


def cited_by_directives(text: str, root: Path) -> set[str]:
    """The cite keys an evidence figure or table in this chapter text cites (its records')."""
    if not any(f"{{{name}}}" in text for name in EVIDENCE_DIRECTIVES):
        return set()
    key = str(Path(root).resolve())
    if key not in _RECORDS_BY_ROOT:
        _RECORDS_BY_ROOT[key] = rec.by_id(rec.read_all(Path(root))[0])
    index = _RECORDS_BY_ROOT[key]
    ids, wanted = [], []
    for line in text.splitlines():
        option = OPTION.match(line)
        if option:
            (ids if option.group(1) == "trials" else wanted).extend(id_list(option.group(2)))
    return {str(r.data.get("cite")) for r in select(index, ids, wanted)}
