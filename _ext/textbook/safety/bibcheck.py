"""references.bib problems named at their line in every build; two chapters never share a title.

sphinxcontrib-bibtex (2.7.0) parses the bibliography at ``builder-inited``
with pybtex in strict mode: a syntax error ends every builder with an
``ExtensionError`` naming neither file nor line, and a repeated key is a
warning with no line. This check runs just before it (priority 400), names
each problem as ``references.bib:line``, and then lets pybtex carry on past
syntax errors, so the build ends with those errors instead
of a traceback. A ``url`` field with a refused scheme is named here too.
"""

from __future__ import annotations

from pathlib import Path

import pybtex.errors
from sphinx.util import logging

from ..sources import read_bib
from .content import BIB_LINKS_REPORTED
from .rules import bib_syntax_problems, link_problem

logger = logging.getLogger(__name__)


def check_bibliography_files(app) -> None:
    reported = BIB_LINKS_REPORTED
    reported.clear()
    for name in getattr(app.config, "bibtex_bibfiles", []) or []:
        path = Path(app.srcdir, name)
        try:
            raw = path.read_bytes()
        except OSError:
            continue  # sphinxcontrib-bibtex names a missing file itself
        try:
            text = raw.decode(app.config.bibtex_encoding or "utf-8-sig")
        except (UnicodeDecodeError, LookupError) as error:
            line = raw.count(b"\n", 0, getattr(error, "start", 0)) + 1
            logger.error(f"not UTF-8 text: save {name} as UTF-8", location=f"{path}:{line}")
            continue
        problems = bib_syntax_problems(text)
        for line, message in problems:
            logger.error(message, location=f"{path}:{line}")
        if problems:
            # Carry on past the error, so the build reports everything else and ends with these
            # errors. pybtex 0.26.1 raises in strict mode, and in non-strict mode fails formatting
            # its warning for the pathlib file name sphinxcontrib-bibtex 2.7.0 gives it; errors
            # it captures (its debugging hook, a module global) are only collected.
            pybtex.errors.captured_errors = []
        for key, entry in read_bib(text).items():
            for line in entry["duplicates"]:
                logger.error(f"{key}: a second entry with this key (the first is at line {entry['line']})",
                             location=f"{path}:{line}")
            url = entry["fields"].get("url", "")
            problem = link_problem(url) if url else None
            if problem:
                logger.error(f"{key}: url field: {problem}", location=f"{path}:{entry['line']}")
                reported.add(url)


def stop_capturing_bibtex_errors(app, *args) -> None:
    pybtex.errors.captured_errors = None


def refuse_shared_titles(app, env) -> None:
    """``env-check-consistency``: a chapter's PDF is cut from the module by its title, so titles are unique."""
    from ..parts import chapters_in_parts

    seen: dict[str, str] = {}
    for docname in chapters_in_parts(env):
        title = env.titles[docname].astext().strip().casefold() if docname in env.titles else ""
        if not title:
            continue
        if title in seen:
            logger.error(f"this chapter has the same title as {seen[title]}: each chapter's title must be "
                         "unique (its PDF is cut from the module by title)", location=docname)
        else:
            seen[title] = docname
