"""The chapter checker: fast checks of chapters and references.bib, no Sphinx build.

    python -m textbook.tools.check [FILE ...]        (default: every chapter, glossary.md, references.bib)

Each rule is a function registered with ``@rule(id, severity)`` that yields
``(line, message)``. Output, one problem a line:

    chapters/x.md:12: error: unknown margin-note kind 'rumour' ... (margin-note-kind)

Exit status 1 if any error was found, else 0. Rules share the front-matter
schema (``lesson.py``) and the source readers (``sources.py``) with the build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import runpy
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..evidence import rules as evidence_rules
from ..lesson import schema
from ..lesson.schema import MARGIN_NOTE_KINDS
from .sources import CITE_ROLE, cited_keys, glossary_terms, read_bib, read_front_matter, term_links

#: A chapter is due for clinical review this long after its last one.
REVIEW_INTERVAL_MONTHS = 24
MAX_BYTES = 1_000_000
#: The back-matter page that defines the {term} targets; checked with the chapters.
GLOSSARY = "glossary.md"

Problem = tuple[int, str]


@dataclass
class Rule:
    id: str
    severity: str  # "error" (hard requirement) or "warning" (house style)
    scope: str  # "chapter" or "bib"
    check: Callable
    doc: str


RULES: list[Rule] = []


def rule(rule_id: str, severity: str, scope: str = "chapter"):
    def register(function):
        RULES.append(Rule(rule_id, severity, scope, function, (function.__doc__ or "").strip()))
        return function
    return register


# -- What the rules look at ------------------------------------------------------------

DIRECTIVE = re.compile(r"^(?P<fence>:{3,}|`{3,})\{(?P<name>[\w:-]+)\}\s*(?P<arg>.*)$")
FENCE_CLOSE = re.compile(r"^(:{3,}|`{3,})\s*$")


@dataclass
class Directive:
    name: str
    argument: str
    line: int
    fence: str
    body: list[tuple[int, str]] = field(default_factory=list)
    parent: Directive | None = None
    closed: bool = False


@dataclass
class Chapter:
    path: Path
    text: str
    lines: list[str]
    front: dict | None
    front_error: tuple[int, str] | None
    directives: list[Directive]
    book: Book

    @property
    def lesson(self) -> dict | None:
        return self.front.get("lesson") if isinstance(self.front, dict) else None

    def named(self, name: str) -> list[Directive]:
        return [d for d in self.directives if d.name == name]


@dataclass
class Book:
    root: Path
    config: dict
    bib_text: str
    bib_entries: dict[str, dict]  # key -> {"type", "line", "fields"}
    lesson_ids: set[str]
    cited: set[str]
    glossary: dict[str, int]  # lowercased term -> its line in glossary.md


def parse_directives(lines: list[str]) -> list[Directive]:
    """Colon- and backtick-fenced directives, nested by fence length as MyST nests them."""
    found: list[Directive] = []
    stack: list[Directive] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        opening = DIRECTIVE.match(stripped)
        if opening:
            directive = Directive(opening["name"], opening["arg"].strip(), number, opening["fence"],
                                  parent=stack[-1] if stack else None)
            if stack:
                stack[-1].body.append((number, line))
            found.append(directive)
            stack.append(directive)
            continue
        closing = FENCE_CLOSE.match(stripped)
        if closing and stack and closing.group(1)[0] == stack[-1].fence[0] \
                and len(closing.group(1)) >= len(stack[-1].fence):
            stack.pop().closed = True
            continue
        if stack:
            stack[-1].body.append((number, line))
    return found


# -- Chapter rules --------------------------------------------------------------------------

LESSON_PARTS = {"anchor", "prove-it", "answer", "connects-to", "margin-note"}


@rule("file-readable", "error")
def file_readable(ch: Chapter) -> Iterator[Problem]:
    """A chapter is UTF-8 text, not empty, under 1 MB."""
    # Reading problems are reported when the file is loaded; see load_chapter.
    return iter(())


@rule("front-matter", "error")
def front_matter(ch: Chapter) -> Iterator[Problem]:
    """A lesson has a valid ``lesson`` front matter (id, kind, stage/series, title, subtitle, reviewed)."""
    if ch.front_error:
        yield ch.front_error
        return
    uses_parts = any(d.name in LESSON_PARTS for d in ch.directives)
    if ch.lesson is None:
        if uses_parts:
            yield 1, "this page uses lesson parts but has no 'lesson' front matter"
        return
    config = ch.book.config
    _, problems = schema.validate(ch.lesson, stages=config["textbook_stages"],
                                  concepts_per_stage=config["textbook_concepts_per_stage"],
                                  series=config["textbook_series"])
    for problem in problems:
        yield schema_line(ch, problem.key), f"lesson front matter: {problem.message}"


def schema_line(ch: Chapter, key: str | None) -> int:
    return schema.key_line_in(ch.text, key)


@rule("placeholder", "error")
def placeholder(ch: Chapter) -> Iterator[Problem]:
    """No TODO placeholders from the chapter template are left."""
    for number, line in enumerate(ch.lines, 1):
        if re.search(r"\bTODO\b", line):
            yield number, "a TODO placeholder from the template is still here: write it"


@rule("title-matches-heading", "error")
def title_matches_heading(ch: Chapter) -> Iterator[Problem]:
    """The front-matter title is the chapter's '# ' heading."""
    if not ch.lesson or not ch.lesson.get("title"):
        return
    heading = next(((n, text[2:].strip()) for n, text in enumerate(ch.lines, 1) if text.startswith("# ")), None)
    if heading is None:
        yield schema_line(ch, "title"), "a lesson needs a '# ' heading that repeats its title"
    elif heading[1] != str(ch.lesson["title"]).strip():
        yield heading[0], f"heading '{heading[1]}' differs from the front-matter title '{ch.lesson['title']}'"


def _exactly_one(ch: Chapter, name: str) -> Iterator[Problem]:
    if not ch.lesson:
        return
    found = ch.named(name)
    if not found:
        yield schema_line(ch, "lesson"), f"no {{{name}}}: a lesson needs exactly one"
    for extra in found[1:]:
        yield extra.line, f"a second {{{name}}}: a lesson has exactly one"


@rule("one-anchor", "error")
def one_anchor(ch: Chapter) -> Iterator[Problem]:
    """Exactly one {anchor}, of one paragraph."""
    yield from _exactly_one(ch, "anchor")
    for anchor in ch.named("anchor"):
        text = "\n".join(line for _, line in anchor.body).strip()
        if not text:
            yield anchor.line, "the anchor is empty: write the one-paragraph summary"
        elif re.search(r"\n\s*\n", text):
            yield anchor.line, "the anchor must be one paragraph (it has a blank line inside)"
        if CITE_ROLE.search(text):
            yield anchor.line, "no citations in the anchor: it is a summary; cite in the body"


@rule("prove-it-answer", "error")
def prove_it_answer(ch: Chapter) -> Iterator[Problem]:
    """One {prove-it} case per lesson, holding exactly one {answer}."""
    yield from _exactly_one(ch, "prove-it")
    for case in ch.named("prove-it"):
        answers = [d for d in ch.directives if d.name == "answer" and d.parent is case]
        if len(answers) != 1:
            yield case.line, (f"a prove-it case needs exactly one {{answer}} inside it (found {len(answers)}); "
                              "nest it with a shorter fence: '::::{prove-it}' around ':::{answer}'")
    for answer in ch.named("answer"):
        if answer.parent is None or answer.parent.name != "prove-it":
            yield answer.line, "an {answer} belongs inside a {prove-it} case"


@rule("connects-to", "error")
def connects_to(ch: Chapter) -> Iterator[Problem]:
    """One {connects-to} list; every {lesson} link names an existing lesson id."""
    yield from _exactly_one(ch, "connects-to")
    for number, line in enumerate(ch.lines, 1):
        for target in re.findall(r"\{lesson\}`([^`]+)`", line):
            if target.strip() not in ch.book.lesson_ids:
                yield number, f"unknown lesson '{target}' (known: {', '.join(sorted(ch.book.lesson_ids))})"


@rule("margin-note-kind", "error")
def margin_note_kind(ch: Chapter) -> Iterator[Problem]:
    """Every {margin-note} names a kind from the fixed list."""
    kinds = ch.book.config.get("textbook_margin_note_kinds", MARGIN_NOTE_KINDS)
    for note in ch.named("margin-note"):
        if note.argument not in kinds:
            yield note.line, f"unknown margin-note kind '{note.argument}'; use one of: {', '.join(kinds)}"


@rule("unclosed-directive", "error")
def unclosed_directive(ch: Chapter) -> Iterator[Problem]:
    """Every directive fence is closed."""
    for directive in ch.directives:
        if not directive.closed:
            yield directive.line, f"the {{{directive.name}}} opened here is never closed (add '{directive.fence}')"


@rule("citation-key", "error")
def citation_key(ch: Chapter) -> Iterator[Problem]:
    """Every cited key is in references.bib."""
    for number, key in cited_keys(ch.text):
        if key not in ch.book.bib_entries:
            yield number, f"citation key '{key}' is not in references.bib"


@rule("glossary-term", "error")
def glossary_term(ch: Chapter) -> Iterator[Problem]:
    """Every {term} link names a term defined in glossary.md."""
    for number, target in term_links(ch.text):
        # Sphinx matches a term case-insensitively, so the checker does too.
        if target.lower() not in ch.book.glossary:
            yield number, (f"'{target}' is not a term in glossary.md: define it there, "
                           "or link an existing term with {term}`text <Term>`")


@rule("bibliography", "error")
def bibliography(ch: Chapter) -> Iterator[Problem]:
    """A lesson ends with its {bibliography}."""
    if ch.lesson and not ch.named("bibliography"):
        yield len(ch.lines), "no {bibliography}: end the lesson with a '## References' section holding one"


@rule("figure-alt", "error")
def figure_alt(ch: Chapter) -> Iterator[Problem]:
    """Every figure and image has alt text."""
    for directive in ch.directives:
        if directive.name in ("figure", "image"):
            if not any(re.match(r"\s*:alt:\s*\S", line) for _, line in directive.body):
                yield directive.line, f"this {{{directive.name}}} has no ':alt:' text for screen readers"
    for number, line in enumerate(ch.lines, 1):
        if re.search(r"!\[\s*\]\(", line):
            yield number, "this image has no alt text: write it between the brackets ![...]"


@rule("figure-caption", "error")
def figure_caption(ch: Chapter) -> Iterator[Problem]:
    """Every figure has a caption: a reader of the PDF meets it away from the text."""
    for directive in ch.directives:
        caption = [line for _, line in directive.body if line.strip() and not re.match(r"\s*:\w[\w-]*:", line)]
        if directive.name == "figure" and not caption:
            yield directive.line, "this {figure} has no caption: write one under its options"
        elif directive.name == "image":
            yield directive.line, "an {image} has no caption: use a {figure} with a caption instead"
    for number, line in enumerate(ch.lines, 1):
        if re.search(r"!\[[^\]]*\]\(", line):
            yield number, "an inline image has no caption: use a {figure} with ':alt:' and a caption"


@rule("no-raw-html", "error")
def no_raw_html(ch: Chapter) -> Iterator[Problem]:
    """No raw HTML: scripts, iframes, styles and embedded pages are refused."""
    for number, line in enumerate(ch.lines, 1):
        tag = re.search(r"<\s*(script|iframe|style|link|object|embed|form)\b", line, re.IGNORECASE)
        if tag:
            yield number, f"raw <{tag.group(1).lower()}> is not allowed in a chapter"
    for directive in ch.directives:
        if directive.name == "raw":
            yield directive.line, "{raw} content is not allowed in a chapter"


@rule("no-external-assets", "error")
def no_external_assets(ch: Chapter) -> Iterator[Problem]:
    """Images and stylesheets come from the repository, never from another host."""
    for number, line in enumerate(ch.lines, 1):
        if re.search(r"!\[[^\]]*\]\(\s*(https?:)?//", line) or re.search(r"\bsrc\s*=\s*[\"'](https?:)?//", line):
            yield number, "an image from another host: put the file in the repository"
    for directive in ch.directives:
        if directive.name in ("figure", "image") and re.match(r"(https?:)?//", directive.argument):
            yield directive.line, "an image from another host: put the file in the repository"


#: Wording a clinical text avoids, and what to write instead.
LANGUAGE = [
    (r"\bcommit(?:s|ted|ting)? suicide\b", "died by suicide / took their own life"),
    (r"\bsuccessful suicide\b", "died by suicide"),
    (r"\b(?:an|the)? ?addicts?\b", "a person with a substance use disorder"),
    (r"\bsubstance abuse\b", "substance use / substance use disorder"),
    (r"\b(?:a|the) schizophrenics?\b", "a person with schizophrenia"),
    (r"\bsuffer(?:s|ing)? from\b", "has / lives with / experiences"),
    (r"\b(?:cure|cures|cured)\b", "remission / response (state what the trial measured)"),
    (r"\bmiracle\b", "describe the effect and its size"),
]


@rule("language", "warning")
def language(ch: Chapter) -> Iterator[Problem]:
    """Person-first, precise clinical language."""
    for number, line in enumerate(ch.lines, 1):
        if line.lstrip().startswith(("%", "<!--")):
            continue
        for pattern, better in LANGUAGE:
            match = re.search(pattern, line, re.IGNORECASE)
            if match:
                yield number, f"'{match.group(0).strip()}': prefer {better}"


@rule("spelling", "warning")
def spelling(ch: Chapter) -> Iterator[Problem]:
    """Common misspellings, found by codespell (terms it would wrongly correct: .codespell-words)."""
    words = ch.book.root / ".codespell-words"
    ignore = ["--ignore-words", str(words)] if words.exists() else []
    command = [sys.executable, "-m", "codespell_lib", "--quiet-level", "2", *ignore, "-"]
    try:
        result = subprocess.run(command, input=ch.text, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        yield 1, f"spelling was not checked: codespell could not run ({error})"
        return
    if result.returncode not in (0, 65) or "No module named" in result.stderr:
        yield 1, "spelling was not checked: codespell is not installed (make setup installs it)"
        return
    # from standard input codespell prints "N: the line" then "<tab>wrong ==> right"
    for match in re.finditer(r"^(\d+): .*\n\t(.+?) ==> (.+)$", result.stdout, re.MULTILINE):
        yield int(match.group(1)), f"'{match.group(2)}' may be misspelled: {match.group(3)}?"


@rule("review-due", "warning")
def review_due(ch: Chapter) -> Iterator[Problem]:
    """A chapter is clinically reviewed at least every 24 months."""
    reviewed = schema._as_date((ch.lesson or {}).get("reviewed"))
    if reviewed is None:
        return
    months = REVIEW_INTERVAL_MONTHS
    due = reviewed.replace(year=reviewed.year + months // 12)
    if due <= dt.date.today():
        yield schema_line(ch, "reviewed"), f"clinical review was due on {due.isoformat()} (last reviewed {reviewed})"


# -- Bibliography rules ------------------------------------------------------------------

REQUIRED_FIELDS = {
    "article": ("author", "title", "journal", "year"),
    "book": ("title", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "misc": ("title", "year"),
}


@rule("bib-fields", "error", scope="bib")
def bib_fields(book: Book) -> Iterator[Problem]:
    """Each entry has the fields its type needs."""
    for key, entry in book.bib_entries.items():
        needed = REQUIRED_FIELDS.get(entry["type"])
        if needed is None:
            yield entry["line"], (f"{key}: entry type @{entry['type']} is not one the book uses "
                                  f"({', '.join(REQUIRED_FIELDS)})")
            continue
        missing = [name for name in needed if not entry["fields"].get(name)]
        if missing:
            yield entry["line"], f"{key}: missing {', '.join(missing)}"


@rule("bib-syntax", "error", scope="bib")
def bib_syntax(book: Book) -> Iterator[Problem]:
    """The file parses as BibTeX: an '@' outside an entry starts one, even in a % comment."""
    for number, line in enumerate(book.bib_text.splitlines(), 1):
        if line.lstrip().startswith("%") and "@" in line:
            yield number, "an '@' starts a new entry for BibTeX, even in a % comment: remove it"


@rule("bib-identifier", "warning", scope="bib")
def bib_identifier(book: Book) -> Iterator[Problem]:
    """Each entry gives readers a way to the source: a DOI, a PMID or a URL.

    A web page's address may sit in ``howpublished = {\\url{...}}``, which the
    bibliography prints as a link, as well as in a ``url`` field."""
    for key, entry in book.bib_entries.items():
        fields = entry["fields"]
        if (not any(fields.get(name) for name in ("doi", "pmid", "url"))
                and "\\url{" not in fields.get("howpublished", "")):
            yield entry["line"], f"{key}: no doi, pmid or url (add one only if you saw it in the source)"


@rule("bib-duplicates", "error", scope="bib")
def bib_duplicates(book: Book) -> Iterator[Problem]:
    """One entry per key, and one entry per DOI."""
    seen: dict[str, str] = {}
    for key, entry in book.bib_entries.items():
        for line in entry["duplicates"]:
            yield line, f"{key}: a second entry with this key"
        doi = entry["fields"].get("doi", "").lower()
        if doi and doi in seen:
            yield entry["line"], f"{key}: same DOI as {seen[doi]} ({doi}): keep one entry"
        elif doi:
            seen[doi] = key


@rule("bib-cited", "warning", scope="bib")
def bib_cited(book: Book) -> Iterator[Problem]:
    """Every entry is cited somewhere."""
    for key, entry in book.bib_entries.items():
        if key not in book.cited:
            yield entry["line"], f"{key}: not cited by any chapter"


RULES.extend(evidence_rules.rules(Rule))  # evidence/*.yaml (scope 'evidence') and two chapter rules


# -- Running ----------------------------------------------------------------------------

def load_book(root: Path) -> Book:
    settings = runpy.run_path(str(root / "conf.py"))
    config = {name: settings.get(name, default) for name, default in (
        ("textbook_stages", {}), ("textbook_concepts_per_stage", 5), ("textbook_series", {}),
        ("textbook_margin_note_kinds", MARGIN_NOTE_KINDS))}
    bib_path = root / "references.bib"
    bib_text = bib_path.read_text(encoding="utf-8", errors="replace") if bib_path.exists() else ""
    ids, cited = set(), set()
    for path in sorted((root / "chapters").glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        front, _ = read_front_matter(text.splitlines())
        lesson = front.get("lesson") if isinstance(front, dict) else None
        if isinstance(lesson, dict) and lesson.get("id"):
            ids.add(str(lesson["id"]))
        cited.update(key for _, key in cited_keys(text))
        cited.update(evidence_rules.cited_by_directives(text, root))  # figures and tables cite their records
    glossary_path = root / GLOSSARY
    glossary = glossary_terms(glossary_path.read_text(encoding="utf-8", errors="replace")) \
        if glossary_path.exists() else {}
    return Book(root, config, bib_text, read_bib(bib_text), ids, cited, glossary)


def load_chapter(path: Path, book: Book) -> tuple[Chapter | None, list[tuple[int, str, str, str]]]:
    """The chapter, or the reason it cannot be read (as a 'file-readable' error)."""
    def refuse(message: str):
        return None, [(1, "error", message, "file-readable")]
    try:
        raw = path.read_bytes()
    except OSError as error:
        return refuse(f"cannot read the file: {error.strerror}")
    if len(raw) > MAX_BYTES:
        return refuse(f"the file is {len(raw):,} bytes; a chapter stays under {MAX_BYTES:,}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [(line, "error", f"not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
                       "file-readable")]
    if not text.strip():
        return refuse("the file is empty")
    lines = text.splitlines()
    front, front_error = read_front_matter(lines)
    return Chapter(path, text, lines, front, front_error, parse_directives(lines), book), []


def check(paths: list[Path], root: Path) -> list[str]:
    book = load_book(root)
    out: list[tuple[str, int, str, str, str]] = []
    for path in paths:
        name = _display(path, root)
        if path.suffix == ".bib":
            continue
        if path.suffix == ".yaml":
            for checker in (r for r in RULES if r.scope == "evidence"):
                out.extend((name, line, checker.severity, message, checker.id)
                           for line, message in checker.check(book, path))
            continue
        chapter, problems = load_chapter(path, book)
        for line, severity, message, rule_id in problems:
            out.append((name, line, severity, message, rule_id))
        if chapter is None:
            continue
        for checker in (r for r in RULES if r.scope == "chapter"):
            for line, message in checker.check(chapter):
                out.append((name, line, checker.severity, message, checker.id))
    if any(p.suffix == ".bib" for p in paths):
        for checker in (r for r in RULES if r.scope == "bib"):
            for line, message in checker.check(book):
                out.append(("references.bib", line, checker.severity, message, checker.id))
    out.sort(key=lambda p: (p[0], p[1], p[4]))
    return [f"{name}:{line}: {severity}: {message} ({rule_id})" for name, line, severity, message, rule_id in out]


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m textbook.tools.check", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="chapters (.md), references.bib or evidence/*.yaml")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the book's folder (with conf.py)")
    parser.add_argument("--rules", action="store_true", help="list the rules and exit")
    args = parser.parse_args(argv)
    if args.rules:
        for r in RULES:
            print(f"{r.id:22} {r.severity:8} {r.doc}")
        return 0
    glossary = [args.root / GLOSSARY] if (args.root / GLOSSARY).exists() else []
    files = args.files or [*sorted((args.root / "chapters").glob("*.md")), *glossary, args.root / "references.bib",
                           *sorted((args.root / "evidence").glob("*.yaml"))]
    lines = check(files, args.root)
    for line in lines:
        print(line)
    errors = sum(": error: " in line for line in lines)
    warnings = len(lines) - errors
    print(f"{len(files)} file(s) checked: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
