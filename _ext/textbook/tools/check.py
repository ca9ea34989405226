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
from ..safety import rules as safety
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
    #: casefolded chapter title -> the chapters (file names) that carry it
    titles: dict[str, list[str]] = field(default_factory=dict)


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
    """A lesson has a valid ``lesson`` front matter (id, kind, stage/series, title, subtitle, reviewed);
    no ``myst`` or ``html_meta`` keys (they change the parser's settings or the page head)."""
    if ch.front_error:
        yield ch.front_error
        return
    front = ch.front if isinstance(ch.front, dict) else {}
    for key, message in safety.REFUSED_FRONT_MATTER.items():
        if key in front:
            yield schema_line(ch, key), message
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
    if not isinstance(ch.lesson, dict) or not ch.lesson.get("title"):
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


#: Lesson parts that stand at a chapter's top level, never inside another box or a list.
TOP_LEVEL_PARTS = ("anchor", "prove-it", "connects-to", "margin-note")


@rule("part-placement", "error")
def part_placement(ch: Chapter) -> Iterator[Problem]:
    """The anchor, the Prove it case, the connects-to list and margin notes stand at the top level."""
    for directive in ch.directives:
        if directive.name not in TOP_LEVEL_PARTS:
            continue
        if directive.parent is not None:
            yield directive.line, (f"a {{{directive.name}}} cannot go inside {{{directive.parent.name}}}: "
                                   "put it at the chapter's top level")
        elif ch.lines[directive.line - 1][:1].isspace():
            yield directive.line, (f"a {{{directive.name}}} cannot go inside a list or quote (it is indented): "
                                   "put it at the chapter's top level")


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


#: Directives whose body is not Markdown (code, math, raw text): their lines are not prose.
VERBATIM_DIRECTIVES = {"code-block", "code", "sourcecode", "literalinclude", "math", "raw", "eval-rst",
                       "csv-table", "list-table", "glossary"}
AUTOLINK = re.compile(r"<([A-Za-z][\w+.-]*:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
HTML_TAG = re.compile(r"<\s*([A-Za-z][\w-]*)(?=[\s/>])")


def front_matter_end(ch: Chapter) -> int:
    """The number of the line closing the front matter (0 if there is none)."""
    if not ch.lines or ch.lines[0].strip() != "---":
        return 0
    return next((n for n, line in enumerate(ch.lines[1:], 2) if line.strip() == "---"), len(ch.lines))


def prose(ch: Chapter, *, keep_code_spans: bool = False) -> Iterator[Problem]:
    """(line, text) of what MyST reads as Markdown: no front matter, no code blocks, inline code blanked."""
    verbatim = {number for d in ch.directives if d.name in VERBATIM_DIRECTIVES for number, _ in d.body}
    fence = None
    for number, line in enumerate(ch.lines, 1):
        if number <= front_matter_end(ch) or number in verbatim:
            continue
        stripped = line.strip()
        plain_fence = re.match(r"(`{3,}|~{3,})(?!\s*\{)", stripped)
        if fence is None and plain_fence:
            fence = plain_fence.group(1)
            continue
        if fence is not None:
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        yield number, line if keep_code_spans else re.sub(r"(`+)(.+?)\1", lambda m: " " * len(m.group(0)), line)


@rule("no-raw-html", "error")
def no_raw_html(ch: Chapter) -> Iterator[Problem]:
    """No raw HTML, {raw} or {eval-rst}: Markdown and the book's directives only (HTML comments are fine)."""
    for number, line in prose(ch):
        line = AUTOLINK.sub("", re.sub(r"<!--.*?(-->|$)", "", line))
        tag = HTML_TAG.search(line)
        if tag:
            yield number, f"raw <{tag.group(1).lower()}> is not allowed in a chapter"
    for directive in ch.directives:
        if directive.name == "raw":
            yield directive.line, "{raw} content is not allowed in a chapter"
        elif directive.name == "eval-rst":
            yield directive.line, ("{eval-rst} is not allowed in a chapter: it would run reStructuredText "
                                   "that these rules do not see")


MARKDOWN_TARGET = re.compile(r"(!?)\[[^\]]*\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)")
REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
DOWNLOAD_ROLE = re.compile(r"\{download\}`(?:[^`<]*<)?([^`<>]+)>?`")


@rule("link-scheme", "error")
def link_scheme(ch: Chapter) -> Iterator[Problem]:
    """Every link is inside the book or uses https, http or mailto."""
    for number, line in prose(ch):
        targets = [m.group(2) for m in MARKDOWN_TARGET.finditer(line)]
        targets += [m.group(1) for m in AUTOLINK.finditer(line)]
        definition = REFERENCE_DEFINITION.match(line)
        targets += [definition.group(1)] if definition else []
        for target in targets:
            problem = safety.link_problem(target)
            if problem:
                yield number, f"link '{target[:60]}': {problem}"
    for directive in ch.directives:
        for number, line in directive.body:
            target = re.match(r"\s*:target:\s*(\S+)", line)
            if target and safety.link_problem(target.group(1)):
                yield number, f"link '{target.group(1)[:60]}': {safety.link_problem(target.group(1))}"


def _inserted_files(ch: Chapter) -> Iterator[tuple[int, str, str]]:
    """(line, what, path) for every file the chapter inserts or links, as written."""
    for directive in ch.directives:
        if directive.name in ("include", "literalinclude"):
            yield directive.line, "the included file", directive.argument
        elif directive.name in ("figure", "image"):
            yield directive.line, "the image", directive.argument
        for number, line in directive.body:
            option = re.match(r"\s*:(file|diff):\s*(\S+)", line)
            if option:
                yield number, "the file", option.group(2)
    for number, line in prose(ch, keep_code_spans=True):
        for match in MARKDOWN_TARGET.finditer(line):
            yield number, "the image" if match.group(1) else "the link target", match.group(2)
        for match in DOWNLOAD_ROLE.finditer(line):
            yield number, "the download", match.group(1).strip()


@rule("file-inside-book", "error")
def file_inside_book(ch: Chapter) -> Iterator[Problem]:
    """Every file a chapter includes, shows or links resolves, after symlinks and '..', inside the book."""
    root = ch.book.root
    for directive in ch.directives:
        for number, line in directive.body:
            if re.match(r"\s*:url:", line) and directive.name in ("csv-table", "raw", "include"):
                yield number, (f"{{{directive.name}}} ':url:' is not allowed: a build fetches nothing from other "
                               "hosts; put the file in the repository")
    for number, what, target in _inserted_files(ch):
        if not target or re.match(r"[A-Za-z][\w+.-]*:|//|#", target) or target.startswith("<"):
            continue
        path = target.split("#")[0]
        resolved = root / path.lstrip("/") if path.startswith("/") else ch.path.parent / path
        if not safety.inside(resolved, root):
            yield number, safety.outside_message(what, target)


@rule("image-format", "error")
def image_format(ch: Chapter) -> Iterator[Problem]:
    """Images are PNG, JPEG, SVG or PDF: every output can show them (SVG is converted for the PDF)."""
    images = [(d.line, d.argument) for d in ch.directives if d.name in ("figure", "image")]
    images += [(n, m.group(2)) for n, line in prose(ch) for m in MARKDOWN_TARGET.finditer(line) if m.group(1)]
    for number, target in images:
        suffix = Path(target.split("?")[0]).suffix.lower()
        if target and "://" not in target and suffix not in safety.IMAGE_SUFFIXES:
            yield number, (f"the image format '{suffix or target}' cannot go into every output: "
                           "use PNG, JPEG, SVG or PDF")


KNOWN_ROLES = ("cite", "cite:p", "cite:t", "cite:ps", "cite:ts", "footcite", "term", "lesson", "ref",
               "doc", "numref", "download", "math", "abbr", "sub", "sup", "eq")


@rule("role-syntax", "error")
def role_syntax(ch: Chapter) -> Iterator[Problem]:
    """Roles parse: {name}`content`, no space before the backticks; citation keys separated by commas."""
    for number, line in prose(ch, keep_code_spans=True):
        if DIRECTIVE.match(line.strip()):
            continue
        for match in re.finditer(r"\{([a-z][\w:+.-]*)\}(``(?=\s|$)|\s+`|(?!`))", line):
            name, after = match.group(1), match.group(2)
            if after.startswith("``"):
                if not name.startswith(("cite", "footcite")):  # an empty citation is named below
                    yield number, f"the role {{{name}}} is empty: write {{{name}}}`content`"
            elif after.strip() == "`":
                yield number, f"a space between {{{name}}} and its backticks: write {{{name}}}`content`"
            elif name in KNOWN_ROLES:
                yield number, f"the role {{{name}}} has no `content` after it: write {{{name}}}`content`"
        for match in CITE_ROLE.finditer(line):
            target = match.group(1)
            if not target.strip():
                yield number, "an empty citation: name a references.bib key between the backticks"
            elif any(not key.strip() for key in target.split(",")):
                yield number, (f"citation '{target}' has an empty key (a comma with nothing after it): "
                               "separate keys with one comma each")
            elif any(re.search(r"\S\s+\S", key.strip()) for key in target.split(",")):
                yield number, f"citation '{target}': separate keys with commas; a key has no spaces inside"


@rule("citation-in-heading", "error")
def citation_in_heading(ch: Chapter) -> Iterator[Problem]:
    """No citation in a heading: the PDF repeats headings in its contents and bookmarks."""
    for number, line in prose(ch, keep_code_spans=True):
        if re.match(r"#{1,6}\s", line) and CITE_ROLE.search(line):
            yield number, "a citation in a heading breaks the PDF (contents and bookmarks): cite in the text below it"


def _nesting(ch: Chapter) -> Iterator[tuple[int, int]]:
    """(line, depth) of lists and quotes nested in one another."""
    lists: list[int] = []  # indents of the open list items
    for number, line in prose(ch):
        if not line.strip():
            continue
        quotes = len(re.match(r"\s*((?:>\s*)*)", line).group(1).replace(" ", ""))
        item = re.match(r"(\s*)(?:[-*+]|\d+[.)])\s", line)
        indent = len(line) - len(line.lstrip())
        if item or line[0].isspace():
            while lists and indent <= lists[-1]:  # a sibling item, or a line back at an outer level
                lists.pop()
            if item:
                lists.append(indent)
        else:
            lists.clear()
        yield number, len(lists) + quotes


@rule("nesting-depth", "error")
def nesting_depth(ch: Chapter) -> Iterator[Problem]:
    """Lists and quotes nest at most four levels deep (LaTeX stops beyond)."""
    for number, depth in _nesting(ch):
        if depth > safety.MAX_NESTING:
            yield number, (f"nested {depth} levels deep (lists and quotes); the PDF takes at most "
                           f"{safety.MAX_NESTING}: flatten it")
            return


@rule("long-word-in-table", "error")
def long_word_in_table(ch: Chapter) -> Iterator[Problem]:
    """No word in a table cell too long to break: it would run off the PDF page."""
    table_lines = [(n, line) for n, line in prose(ch, keep_code_spans=True) if line.lstrip().startswith("|")]
    table_lines += [(n, line) for d in ch.directives if d.name == "list-table" for n, line in d.body
                    if not re.match(r"\s*:", line)]
    for number, line in table_lines:
        # role contents (citation keys, term targets) and link targets are not printed
        text = re.sub(r"\{[\w:-]+\}`[^`]*`|`|\]\([^)]*\)", " ", line)
        for word in re.split(r"[\s|/\-–—]+", text):
            if len(word) > safety.MAX_UNBREAKABLE_IN_TABLE:
                yield number, (f"'{word[:40]}…' ({len(word)} characters) cannot break in a table cell and runs "
                               f"off the PDF page: keep words under {safety.MAX_UNBREAKABLE_IN_TABLE + 1} "
                               "characters, or add spaces")
                break


@rule("tex-commands", "error")
def tex_commands(ch: Chapter) -> Iterator[Problem]:
    """Math holds no LaTeX command that reads or writes files or defines commands."""
    math = [(d.line, "\n".join(line for _, line in d.body)) for d in ch.directives if d.name == "math"]
    math += [(n, m.group(1)) for n, line in enumerate(ch.lines, 1) for m in re.finditer(r"\{math\}`([^`]*)`", line)]
    for number, text in math:
        command = safety.TEX_FILE_COMMANDS.search(text)
        if command:
            yield number, (f"'\\{command.group(1)}' is not allowed in math: it reads or writes files, "
                           "or redefines commands")


@rule("pdf-characters", "error")
def pdf_characters(ch: Chapter) -> Iterator[Problem]:
    """Every character is in the PDF's fonts (conf.py's latex_elements): XeLaTeX would drop it silently."""
    from types import SimpleNamespace


    families = safety.configured_families(SimpleNamespace(latex_elements=ch.book.config.get("latex_elements")))
    if "main" not in families or safety.font_characters(families["main"]) is None:
        return
    main = safety.font_characters(families["main"])
    mono = safety.font_characters(families.get("mono", families["main"])) or main
    code = {n for d in ch.directives if d.name in ("code-block", "code", "sourcecode") for n, _ in d.body}
    for number, line in enumerate(ch.lines, 1):
        if line.lstrip().startswith(("%", "<!--")) or all(ord(c) < 128 for c in line):
            continue
        cover, family = (mono, families.get("mono")) if number in code else (main, families["main"])
        for char in dict.fromkeys(c for c in line if ord(c) >= 128 and ord(c) not in cover
                                  and c not in "\u00ad\u200b\u200c\u200d\u2060\ufeff"):
            yield number, (f"the character {safety.character_name(char)} is not in the PDF's {family} font: "
                           "it would be missing from the PDF; write it out, or ask for a font that has it")


@rule("title-unique", "error")
def title_unique(ch: Chapter) -> Iterator[Problem]:
    """Each chapter has its own title: its PDF is cut from the module by title."""
    for number, line in enumerate(ch.lines, 1):
        if line.startswith("# "):
            others = [name for name in ch.book.titles.get(line[2:].strip().casefold(), []) if name != ch.path.name]
            if others and ch.path.parent.name == "chapters":
                yield number, (f"'{line[2:].strip()}' is also the title of {', '.join(others)}: each chapter's "
                               "title must be unique (its PDF is cut from the module by title)")
            return


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
    reviewed = schema._as_date(ch.lesson.get("reviewed")) if isinstance(ch.lesson, dict) else None
    if reviewed is None or reviewed.year > 9000:
        return
    months = REVIEW_INTERVAL_MONTHS
    try:
        due = reviewed.replace(year=reviewed.year + months // 12)
    except ValueError:  # 29 February, or a year past 9999
        due = reviewed + dt.timedelta(days=365 * months // 12)
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
    yield from safety.bib_syntax_problems(book.bib_text)


@rule("bib-url", "error", scope="bib")
def bib_url(book: Book) -> Iterator[Problem]:
    """A url field uses https, http or mailto: it becomes a link in every output."""
    for key, entry in book.bib_entries.items():
        url = entry["fields"].get("url", "")
        problem = safety.link_problem(url) if url else None
        if problem:
            yield entry["line"], f"{key}: url field: {problem}"


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
        ("textbook_margin_note_kinds", MARGIN_NOTE_KINDS), ("latex_elements", {}))}
    bib_path = root / "references.bib"
    bib_text = bib_path.read_text(encoding="utf-8", errors="replace") if bib_path.exists() else ""
    ids, cited, titles = set(), set(), {}
    for path in sorted((root / "chapters").glob("*.md")):
        try:
            text = normalised(path.read_bytes().decode("utf-8"))
        except (UnicodeDecodeError, OSError):
            continue
        front, _ = read_front_matter(text.splitlines())
        lesson = front.get("lesson") if isinstance(front, dict) else None
        if isinstance(lesson, dict) and lesson.get("id"):
            ids.add(str(lesson["id"]))
        heading = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), None)
        if heading:
            titles.setdefault(heading.casefold(), []).append(path.name)
        cited.update(key for _, key in cited_keys(text))
        cited.update(evidence_rules.cited_by_directives(text, root))  # figures and tables cite their records
    glossary_path = root / GLOSSARY
    glossary = glossary_terms(glossary_path.read_text(encoding="utf-8", errors="replace")) \
        if glossary_path.exists() else {}
    return Book(root, config, normalised(bib_text), read_bib(normalised(bib_text)), ids, cited, glossary, titles)


def normalised(text: str) -> str:
    """A source as the builds read it: no byte-order mark, '\\n' line ends (CRLF and CR accepted)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


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
    text = normalised(text)
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
            out += _run_rule(checker, chapter, name)
    if any(p.suffix == ".bib" for p in paths):
        for checker in (r for r in RULES if r.scope == "bib"):
            out += _run_rule(checker, book, "references.bib")
    out.sort(key=lambda p: (p[0], p[1], p[4]))
    return [f"{name}:{line}: {severity}: {message} ({rule_id})" for name, line, severity, message, rule_id in out]


def _run_rule(checker: Rule, subject, name: str) -> list[tuple[str, int, str, str, str]]:
    """One rule's problems; a rule that fails on strange input is one error line, never a traceback,
    and the other rules and files are still checked."""
    found = []
    try:
        for line, message in checker.check(subject):
            found.append((name, line, checker.severity, message, checker.id))
    except Exception as error:  # noqa: BLE001 the one place a checker bug must not end the run
        found.append((name, 1, "error", f"the checker could not apply this rule to this file "
                                        f"({type(error).__name__}: {error}); please report it", checker.id))
    return found


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
