"""What a chapter may put into the book, as data and pure functions (no Sphinx).

Shared by the build (the other modules of this package) and the chapter
checker (``check.py``), so both refuse the same things with the same words.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

#: The only URL schemes a link in any output may use; a URL without a scheme
#: (``chapters/x.html#y``, ``#y``) is internal and allowed.
ALLOWED_SCHEMES = ("https", "http", "mailto")

#: The only environment variables a build step sees (scripts/clean-env keeps exactly these,
#: and adds the three TeX settings): no secret of the calling shell reaches a build.
BUILD_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "SOURCE_DATE_EPOCH", "TEXMFHOME",
                     "TEXMFVAR", "TEXMFCONFIG", "LATEXMKOPTS", "PYTHONPATH",
                     "openin_any", "openout_any", "shell_escape")

#: Front-matter keys MyST acts on that would let a chapter change the parser's
#: settings (``myst:`` can enable raw HTML images or other URL schemes) or write
#: ``<meta>`` tags into the page head (``html_meta:``).
REFUSED_FRONT_MATTER = {
    "myst": "'myst' settings in a chapter's front matter are not allowed: the book's settings are in conf.py",
    "html_meta": "'html_meta' is not allowed: a chapter cannot add <meta> tags to the page head",
}

#: Image formats every output can show: the PDF takes PNG, JPEG and PDF, and SVG
#: is converted to PDF for it (rsvg-convert); ``name.*`` lets Sphinx pick per output.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".pdf", ".*")

#: The deepest nesting of lists and quotes the PDF takes: LaTeX has four list
#: levels, and a fifth stops it with "Too deeply nested".
MAX_NESTING = 4

#: Longest run of characters with no space or hyphen that a table cell may hold:
#: LaTeX cannot break it, and the table runs off the page.
MAX_UNBREAKABLE_IN_TABLE = 30

#: LaTeX commands that read or write files, or change how TeX reads its input;
#: refused in math (the only place a chapter writes LaTeX). The PDF build also
#: runs with openin_any=p and shell_escape=f (see Makefile), so TeX itself
#: refuses to open files outside the build folder.
TEX_FILE_COMMANDS = re.compile(
    r"\\(input|include|InputIfFileExists|IfFileExists|openin|openout|read|readline|write|"
    r"immediate|special|catcode|csname|def|edef|gdef|xdef|let|newcommand|renewcommand|"
    r"includegraphics|directlua|ShellEscape|usepackage|documentclass|jobname|href|url|"
    r"XeTeXpdffile|XeTeXpicfile|pdfximage|verbatiminput|lstinputlisting)(?![A-Za-z])")


def link_problem(url: str) -> str | None:
    """Why a link target is refused, or None when it is allowed."""
    # Browsers ignore ASCII whitespace and control characters inside a scheme
    # ("java\tscript:"), so the scheme is judged without them.
    compact = re.sub(r"[\x00-\x20\x7f]+", "", url)
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", compact)
    if scheme is None:
        if compact.startswith("//"):
            return None  # protocol-relative: http(s) to another host, as any external link
        return None
    name = scheme.group(1).lower()
    if name in ALLOWED_SCHEMES:
        return None
    return f"link scheme '{name}:' is not allowed (allowed: {', '.join(ALLOWED_SCHEMES)}, and links inside the book)"


def inside(path: str | os.PathLike, root: str | os.PathLike) -> bool:
    """Whether ``path``, after symlinks and '..', is inside ``root``."""
    try:
        real = Path(os.path.realpath(path))
        return real == Path(os.path.realpath(root)) or real.is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


def outside_message(what: str, target: str) -> str:
    return (f"{what} '{target}' is outside the book: every file a chapter inserts must be "
            "inside the repository (after symlinks and '..')")


def character_name(char: str) -> str:
    return f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')})"


# -- SVG files --------------------------------------------------------------------------

_SVG_ACTIVE = (
    (re.compile(r"<\s*script\b", re.I), "a <script>"),
    (re.compile(r"<\s*foreignObject\b", re.I), "a <foreignObject> (HTML inside the drawing)"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event-handler attribute (on...=)"),
    (re.compile(r"""href\s*=\s*["']\s*(?:javascript|data|vbscript):""", re.I), "a javascript:/data: link"),
    (re.compile(r"""(?:href|src)\s*=\s*["']\s*(?:https?:)?//""", re.I), "a file from another host"),
    (re.compile(r"<!ENTITY", re.I), "an XML entity (it can read other files)"),
)


def svg_problems(text: str) -> Iterator[str]:
    """What makes an SVG drawing unsafe to publish: scripts, handlers, other hosts' files."""
    for pattern, what in _SVG_ACTIVE:
        if pattern.search(text):
            yield what


# -- BibTeX syntax ------------------------------------------------------------------------

def bib_syntax_problems(text: str, keep: dict | None = None) -> list[tuple[int, str]]:
    """(line, message) for each BibTeX syntax error pybtex finds, located at the entry at fault.

    pybtex stops at the first error and names the line where it noticed it (for an
    unclosed brace: the end of the file); the entry whose braces do not balance
    before the next entry starts is where the author must look.
    """
    problems: list[tuple[int, str]] = []
    entry_start, depth = None, 0
    for number, line in enumerate(text.splitlines(), 1):
        if entry_start is None or depth > 0:
            if re.match(r"\s*@\s*\w+\s*[{(]", line) and entry_start is not None:
                problems.append((entry_start, f"this entry's braces are not closed before the next entry "
                                              f"(line {number}): add the missing '}}'"))
                entry_start, depth = None, 0
        if entry_start is None:
            if not re.match(r"\s*@\s*\w+\s*\{", line) or re.match(r"\s*@\s*(comment|preamble)\b", line, re.I):
                continue
            entry_start = number
        depth += line.count("{") - line.count("}")
        if depth < 0:
            problems.append((number, "a '}' here closes more than this entry opened"))
            entry_start, depth = None, 0
        elif depth == 0:
            entry_start = None
    if entry_start is not None:
        problems.append((entry_start, "this entry's braces are not closed by the end of the file: "
                                      "add the missing '}'"))
    if problems:
        return problems
    return _pybtex_problems(text, keep)


def _pybtex_problems(text: str, keep: dict | None = None) -> list[tuple[int, str]]:
    """pybtex's own syntax errors; with ``keep``, a parse without any is left in ``keep["data"]``."""
    import pybtex.errors
    from pybtex.database.input.bibtex import Parser
    from pybtex.scanner import PybtexSyntaxError

    was_strict = pybtex.errors.strict
    pybtex.errors.set_strict_mode(True)
    try:
        data = Parser().parse_string(text)
        if keep is not None:
            keep["data"] = data
    except PybtexSyntaxError as error:
        return [(getattr(error, "lineno", None) or 1, f"BibTeX syntax error: {_without_line(str(error))}")]
    except Exception:  # noqa: BLE001 duplicates and bad names: reported by their own rules, with lines
        return []
    finally:
        pybtex.errors.set_strict_mode(was_strict)
    return []


def _without_line(message: str) -> str:
    return re.sub(r"^syntax error in line \d+:\s*", "", message)


# -- Fonts of the PDF (shared by the build's glyph check and the checker) --------------------

@functools.lru_cache(maxsize=8)
def font_characters(family: str) -> frozenset[int] | None:
    """The code points a font family's regular face covers, or None if it cannot be read."""
    if not shutil.which("fc-match"):
        return None
    try:
        path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True,
                              timeout=20).stdout.strip()
        from fontTools.ttLib import TTFont

        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception:  # noqa: BLE001 an unreadable font: XeLaTeX's own check (tracinglostchars) remains
        return None


def configured_families(config) -> dict[str, str]:
    """{'main': 'TeX Gyre Pagella', 'sans': ..., 'mono': ...} from ``latex_elements['fontpkg']``."""
    fontpkg = (config.latex_elements or {}).get("fontpkg", "")
    return {kind: match.group(1).strip()
            for kind in ("main", "sans", "mono")
            if (match := re.search(rf"\\set{kind}font\{{([^}}]+)\}}", fontpkg))}
