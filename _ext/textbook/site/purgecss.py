"""Drop the theme's CSS rules that no page of the book can match.

pydata-sphinx-theme's stylesheet is 376 KB (64 KB gzipped), most of it Bootstrap
components the book never shows; the browser downloads and matches all of it before the
first paint. After an HTML build, every rule whose selectors all name a class that occurs
in no written page and no script of the site is removed (what PurgeCSS does, on class
names only: element, id and attribute selectors are kept). A class a script builds from
pieces at run time would be missed; the theme's scripts name theirs whole, and the browser
tests and axe checks run on the purged pages. ``theme.css``, one ``@import`` of Sphinx's
``basic.css``, is replaced by that file's text: the import was a second round trip before
the first paint. The result is cached in the doctree folder by its inputs: the theme's
stylesheet and which of its class names the site uses (the site's other words cannot
change it, so an edit that brings in no new class purges nothing again).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from sphinx.util import logging

from ..files import kept_while, stamps
from ..publish.downloadlinks import WEB_BUILDERS
from ..publish.written import output_files, started

logger = logging.getLogger(__name__)

PURGED = ("styles/pydata-sphinx-theme.css", "styles/sphinx-book-theme.css")  # under _static/
IMPORTER = "styles/theme.css"
CACHE_DIR = "purged-css"
TOKENS = "css-tokens.json"
CLASSES = "stylesheet-classes.json"
TOKEN = re.compile(r"[A-Za-z0-9_:-]+")
CLASS = re.compile(r"\.((?:\\.|[A-Za-z0-9_-])+)")
#: At-rules whose block holds whole rules, purged inside; other blocks are kept as they are.
GROUPING = ("@media", "@supports", "@layer", "@container")

def _skip_string(css: str, i: int) -> int:
    quote, i = css[i], i + 1
    while i < len(css) and css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


#: What the scanners below stop at; everything between is skipped by the regular
#: expression in C rather than a character at a time in Python (3x faster on the theme's
#: 376 KB stylesheet, same result).
_READ_STOP = re.compile(r"""["'(){};]|/\*""")
_BLOCK_STOP = re.compile(r"""["'{}]""")


def _read_until(css: str, i: int, stops: str) -> int:
    depth = 0
    while True:
        found = _READ_STOP.search(css, i)
        if found is None:
            return len(css)
        i = found.start()
        char = css[i]
        if char in "\"'":
            i = _skip_string(css, i)
            continue
        if char == "/":  # a comment
            end = css.find("*/", i + 2)
            i = len(css) if end < 0 else end + 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char in stops:
            return i
        i += 1


def _block_end(css: str, i: int) -> int:
    """Index just after the '}' closing the block whose '{' is at i - 1."""
    depth = 1
    while depth:
        found = _BLOCK_STOP.search(css, i)
        if found is None:
            return len(css)
        i = found.start()
        char = css[i]
        if char in "\"'":
            i = _skip_string(css, i)
            continue
        depth += 1 if char == "{" else -1
        i += 1
    return i


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:index])
            start = index + 1
    parts.append(prelude[start:])
    return [part.strip() for part in parts if part.strip()]


def _selector_may_match(selector: str, tokens: set[str]) -> bool:
    # Inside :not(...) a class that is absent makes the selector match more, not less.
    positive = re.sub(r":not\([^()]*\)", "", selector) if ":not(" in selector else selector
    if "\\" not in positive:
        return all(name in tokens for name in CLASS.findall(positive))
    return all(name.replace("\\", "") in tokens for name in CLASS.findall(positive))


def purge(css: str, tokens: set[str]) -> str:
    out, _ = _purge_block(css, 0, tokens, top=True)
    return out


def _purge_block(css: str, i: int, tokens: set[str], top: bool = False) -> tuple[str, int]:
    out = []
    while i < len(css):
        while i < len(css) and css[i] in " \t\r\n":
            i += 1
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            end = len(css) if end < 0 else end + 2
            if top and css.startswith("/*!", i):
                out.append(css[i:end])  # licence notices stay
            i = end
            continue
        if i >= len(css):
            break
        if css[i] == "}":
            return "".join(out), i + 1
        stop = _read_until(css, i, "{;}")
        prelude = css[i:stop].strip()
        if stop >= len(css) or css[stop] in ";}":
            if prelude:
                out.append(prelude + ";")
            i = stop + 1 if stop < len(css) and css[stop] == ";" else stop
            continue
        if prelude.startswith(GROUPING):
            inner, i = _purge_block(css, stop + 1, tokens)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
            continue
        end = _block_end(css, stop + 1)
        body = css[stop + 1:end - 1]
        if prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [selector for selector in _split_selectors(prelude)
                    if _selector_may_match(selector, tokens)]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
        i = end
    return "".join(out), i


def stylesheet_classes(css: str) -> set[str]:
    """Every class name the stylesheet mentions: the only words of a page that can change a purge."""
    return {name.replace("\\", "") for name in CLASS.findall(css)}


def site_tokens(outdir: Path, since: float, known: set[str], wanted: set[str] | None = None) -> set[str]:
    """Every word of the pages written since ``since`` and of the site's scripts, with ``known``.

    With ``wanted``, only the words in it (the stylesheets' class names) are kept.
    """
    tokens = set(known)

    def add(path: Path) -> None:
        found = set(TOKEN.findall(path.read_text("utf-8", "replace")))
        tokens.update(found if wanted is None else found & wanted)

    static = outdir / "_static"
    for path, mtime in output_files(outdir):
        if mtime < since:
            continue
        if path.suffix == ".html" and "_static" not in path.relative_to(outdir).parts:
            add(path)
        elif path.suffix == ".js" and path.is_relative_to(static):
            add(path)
    return tokens


def purge_theme_css(app, exception) -> None:
    if exception or app.builder.name not in WEB_BUILDERS:
        return
    static = Path(app.outdir) / "_static"
    if not (static / PURGED[0]).is_file():
        return  # not the book theme
    sources = {name: _theme_source(name) for name in PURGED if (static / name).is_file()}
    texts = {name: source.read_text(encoding="utf-8") for name, source in sources.items() if source}
    cache = Path(app.doctreedir) / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    wanted = _classes_of(sources, texts, cache)
    record = cache / TOKENS
    try:
        known = set(json.loads(record.read_text(encoding="utf-8"))) & wanted
        since = started(app.outdir)
    except (OSError, ValueError):
        known, since = set(), 0.0
    # Only the stylesheets' class names are kept and hashed: a page's other words cannot
    # change what is purged, so an edit that adds no class reuses the cached result.
    tokens = site_tokens(Path(app.outdir), since, known, wanted)
    if tokens != known or not record.is_file():
        record.write_text(json.dumps(sorted(tokens)), encoding="utf-8")
    digest = hashlib.sha256(json.dumps(sorted(tokens)).encode()).hexdigest()[:16]
    for name, text in texts.items():
        target = static / name
        key = hashlib.sha256((text + digest).encode()).hexdigest()[:16]
        cached = cache / f"{Path(name).stem}-{key}.css"
        if not cached.is_file():
            cached.write_text(purge(text, tokens), encoding="utf-8")
        if target.read_bytes() != cached.read_bytes():
            target.write_bytes(cached.read_bytes())
    importer, basic = static / IMPORTER, static / "basic.css"
    if importer.is_file() and basic.is_file() and "@import" in importer.read_text(encoding="utf-8"):
        importer.write_text(basic.read_text(encoding="utf-8"), encoding="utf-8")


def _classes_of(sources: dict[str, Path | None], texts: dict[str, str], cache: Path) -> set[str]:
    """The stylesheets' class names, kept in ``cache`` while the theme's files keep their size and time
    (finding them was about 15 ms of every build)."""
    paths = sorted(path for path in sources.values() if path)
    classes = kept_while(cache / CLASSES, stamps(*paths),
                         lambda: sorted(set().union(*(stylesheet_classes(text) for text in texts.values()))))
    return set(classes)


def _theme_source(name: str) -> Path | None:
    """The theme's own copy: the output's may already be purged by an earlier build."""
    if name.startswith("styles/pydata-sphinx-theme"):
        import pydata_sphinx_theme as theme

        path = Path(theme.__file__).parent / "theme/pydata_sphinx_theme/static" / name
    else:
        import sphinx_book_theme as theme

        path = Path(theme.__file__).parent / "theme/sphinx_book_theme/static" / name
    return path if path.is_file() else None
