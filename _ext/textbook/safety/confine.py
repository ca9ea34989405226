"""Nothing outside the book is read: every file a document inserts resolves inside the source tree.

The ways a document can pull a file into the outputs, and where each is checked:

- ``include`` (MyST and reStructuredText): the ``include-read`` event, which
  both emit for the text they read; the text of a file outside the book is
  replaced by nothing. reStructuredText's ``:literal:`` and ``:code:`` includes
  do not emit the event, so the directive is also checked before it reads;
- ``literalinclude`` (its file and its ``:diff:`` file), ``csv-table``
  (``:file:``; ``:url:`` is refused: a build fetches nothing): checked before
  they read;
- ``raw``: refused outright (see content.py), so its ``:file:`` is never read;
- images and figures (directives and Markdown), ``{download}`` targets and
  links to local files: a transform, before Sphinx's collectors copy them;
- bibliography files come from ``bibtex_bibfiles`` in conf.py, not from chapters.

Each refusal is an error at the document's line (``file:line: ERROR: …``), and
nothing from the file reaches any output.
"""

from __future__ import annotations

import os
from pathlib import Path

import docutils
from docutils import nodes
from docutils.parsers.rst.directives.tables import CSVTable
from sphinx import addnodes
from sphinx.directives.code import LiteralInclude
from sphinx.directives.other import Include
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from .rules import IMAGE_SUFFIXES, inside, outside_message, svg_problems

logger = logging.getLogger(__name__)

#: docutils' own include files (``<isonum.txt>``: character entity sets) live in its package.
STANDARD_INCLUDES = Path(docutils.__file__).parent / "parsers" / "rst" / "include"


def _line_of(env, docname: str, needle: str) -> int | None:
    """The first line of a document mentioning ``needle`` (the include event carries no line)."""
    try:
        text = env.doc2path(docname).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return None
    for number, line in enumerate(text.splitlines(), 1):
        if needle and needle in line:
            return number
    return None


def refuse_outside_include(app, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    """``include-read``: an included file outside the source tree contributes nothing, and is an error."""
    srcdir = app.env.srcdir
    path = Path(srcdir, relative_path)
    if inside(path, srcdir) or inside(path, STANDARD_INCLUDES):
        return
    content[0] = ""
    # MyST passes the file name's stem, not the docname: the document being read is the parent.
    docname = app.env.current_document.docname or parent_docname
    line = _line_of(app.env, docname, Path(relative_path).name)
    logger.error(outside_message("the included file", os.fspath(relative_path)),
                 location=(docname, line) if line else docname)


def _checked(directive, argument: str, what: str) -> bool:
    """Whether a directive's file argument resolves inside the book; logs the refusal if not."""
    _, absolute = directive.env.relfn2path(argument)
    if inside(absolute, directive.env.srcdir):
        return True
    logger.error(outside_message(what, argument), location=directive.get_location())
    return False


class ConfinedInclude(Include):
    """Sphinx's ``include``, refusing a file outside the book before docutils reads it."""

    def run(self):
        argument = self.arguments[0]
        if argument.startswith("<") and argument.endswith(">"):
            return super().run()
        if not _checked(self, argument, "the included file"):
            return []
        return super().run()


class ConfinedLiteralInclude(LiteralInclude):
    """``literalinclude``, refusing a file (or a ``:diff:`` file) outside the book."""

    def run(self):
        if not _checked(self, self.arguments[0], "the included file"):
            return []
        if "diff" in self.options and not _checked(self, self.options["diff"], "the compared file"):
            return []
        return super().run()


class ConfinedCSVTable(CSVTable):
    """``csv-table``: a ``:file:`` inside the book; no ``:url:`` (a build fetches nothing)."""

    def run(self):
        env = self.state.document.settings.env
        if "url" in self.options:
            logger.error("csv-table ':url:' is not allowed: a build fetches nothing from other hosts; "
                         "put the file in the repository", location=(env.docname, self.lineno))
            return []
        if "file" in self.options:
            _, absolute = env.relfn2path(self.options["file"])
            if not inside(absolute, env.srcdir):
                logger.error(outside_message("the table file", self.options["file"]),
                             location=(env.docname, self.lineno))
                return []
        return super().run()


class ConfineInsertedFiles(SphinxTransform):
    """Images, figures, downloads and links to local files: inside the book, in a format every output takes.

    Runs while the document is read, before Sphinx's image and download
    collectors copy anything into the outputs.
    """

    default_priority = 200

    def apply(self) -> None:
        for image in list(self.document.findall(nodes.image)):
            problem = self._image_problem(image["uri"])
            if problem:
                logger.error(problem, location=image)
                image.parent.remove(image)
        for download in list(self.document.findall(addnodes.download_reference)):
            target = download.get("reftarget", "")
            if "://" in target:
                continue
            _, absolute = self.env.relfn2path(target, self.env.docname)
            if not inside(absolute, self.env.srcdir):
                logger.error(outside_message("the download", target), location=download)
                download.replace_self(nodes.inline(download.astext(), download.astext()))

    def _image_problem(self, uri: str) -> str | None:
        if "://" in uri or uri.startswith(("//", "data:")):
            return (f"the image '{uri[:80]}' is not a file in the repository: put the file in the book "
                    "(readers' browsers fetch nothing from other hosts)")
        suffix = os.path.splitext(uri)[1].lower()
        if suffix not in IMAGE_SUFFIXES:
            return (f"the image format '{suffix or uri}' cannot go into every output: "
                    "use PNG, JPEG, SVG or PDF")
        _, absolute = self.env.relfn2path(uri.replace("*", "x"), self.env.docname)
        if not inside(absolute, self.env.srcdir):
            return outside_message("the image", uri)
        if suffix == ".svg" and os.path.isfile(absolute):
            try:
                text = Path(absolute).read_text(encoding="utf-8", errors="replace")
            except OSError:
                return None
            found = list(svg_problems(text))
            if found:
                return f"the drawing '{uri}' holds {', '.join(found)}: publish only plain SVG"
        return None
