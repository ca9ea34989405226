"""references.bib problems named at their line in every build; two chapters never share a title.

sphinxcontrib-bibtex (2.7.0) parses the bibliography at ``builder-inited``
with pybtex in strict mode: a syntax error ends every builder with an
``ExtensionError`` naming neither file nor line, and a repeated key is a
warning with no line. This check runs just before it (priority 400), names
each problem as ``references.bib:line``, and then lets pybtex carry on past
syntax errors, so the build ends with those errors instead
of a traceback. A ``url`` field with a refused scheme is named here too.

When this check parsed the file and pybtex found nothing wrong, sphinxcontrib-bibtex
is given that parse instead of reading the file a second time (its
``parse_bibdata``, for the same single file with the same bytes): the same entries,
about 0.1 s less of a build that parses references.bib (a full build, a PDF).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pybtex.errors
from sphinx.util import logging

from ..tools.sources import read_bib
from .content import BIB_LINKS_REPORTED
from .rules import bib_syntax_problems, link_problem

logger = logging.getLogger(__name__)


#: Beside the doctrees: each bibliography file's digest and what was found in it, so a build
#: whose references.bib did not change re-reports without re-parsing (about half a second).
CACHE = "textbook-bibcheck.json"


def check_bibliography_files(app) -> None:
    reported = BIB_LINKS_REPORTED
    reported.clear()
    cache_path = Path(app.doctreedir, CACHE)
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    for name in getattr(app.config, "bibtex_bibfiles", []) or []:
        path = Path(app.srcdir, name)
        try:
            raw = path.read_bytes()
        except OSError:
            continue  # sphinxcontrib-bibtex names a missing file itself
        digest = hashlib.sha256(raw).hexdigest()
        found = cache.get(name) if isinstance(cache.get(name), dict) and cache[name].get("sha") == digest else None
        if found is None:
            keep: dict = {}
            found = {"sha": digest, **_problems(raw, app.config.bibtex_encoding, keep)}
            cache[name] = found
            if "data" in keep and not found["errors"] and b"\r" not in raw:  # as pybtex reads the file
                _parsed[str(path.resolve())] = (digest, keep["data"])
        for line, message in found["errors"]:
            logger.error(message, location=f"{path}:{line}")
        reported.update(found["bad_urls"])
        if found["syntax"]:
            # Carry on past the error, so the build reports everything else and ends with these
            # errors. pybtex 0.26.1 raises in strict mode, and in non-strict mode fails formatting
            # its warning for the pathlib file name sphinxcontrib-bibtex 2.7.0 gives it; errors
            # it captures (its debugging hook, a module global) are only collected.
            pybtex.errors.captured_errors = []
    try:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        cache_path.write_text(json.dumps(cache), encoding="utf-8")
    except OSError:
        pass


#: resolved path -> (sha256 of its bytes, pybtex's parse of them), for sphinxcontrib-bibtex.
_parsed: dict[str, tuple] = {}


def _reuse_parse(original):
    def parse_bibdata(bibfilenames, encoding):
        from sphinxcontrib.bibtex.bibfile import BibData, BibFile, get_mtime

        if len(bibfilenames) == 1:
            path = Path(bibfilenames[0])
            kept = _parsed.pop(str(path.resolve()), None)
            try:
                same = kept is not None and hashlib.sha256(path.read_bytes()).hexdigest() == kept[0]
            except OSError:
                same = False
            if same:
                data = kept[1]
                return BibData(encoding=encoding, data=data, bibfiles={
                    bibfilenames[0]: BibFile(mtime=get_mtime(bibfilenames[0]), keys=dict.fromkeys(data.entries))})
        return original(bibfilenames, encoding)

    parse_bibdata.reuses_textbook_parse = True
    return parse_bibdata


def share_parse_with_bibtex(app) -> None:
    """``builder-inited`` (before sphinxcontrib-bibtex's): its parser takes the parse made here."""
    from sphinxcontrib.bibtex import bibfile

    if not getattr(bibfile.parse_bibdata, "reuses_textbook_parse", False):
        bibfile.parse_bibdata = _reuse_parse(bibfile.parse_bibdata)


def _problems(raw: bytes, encoding: str | None, keep: dict | None = None) -> dict:
    try:
        text = raw.decode(encoding or "utf-8-sig")
    except (UnicodeDecodeError, LookupError) as error:
        line = raw.count(b"\n", 0, getattr(error, "start", 0)) + 1
        return {"errors": [(line, "not UTF-8 text: save the file as UTF-8")], "bad_urls": [], "syntax": True}
    errors = list(bib_syntax_problems(text, keep))
    syntax = bool(errors)
    bad_urls = []
    for key, entry in read_bib(text).items():
        for line in entry["duplicates"]:
            errors.append((line, f"{key}: a second entry with this key (the first is at line {entry['line']})"))
        url = entry["fields"].get("url", "")
        problem = link_problem(url) if url else None
        if problem:
            errors.append((entry["line"], f"{key}: url field: {problem}"))
            bad_urls.append(url)
    return {"errors": errors, "bad_urls": bad_urls, "syntax": syntax}


def stop_capturing_bibtex_errors(app, *args) -> None:
    pybtex.errors.captured_errors = None


def refuse_shared_titles(app, env) -> None:
    """``env-check-consistency``: a chapter's PDF is cut from the module by its title, so titles are unique."""
    from ..publish.parts import chapters_in_parts

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
