"""Safe to build strangers' pull requests (issue 13).

- nothing outside the book is read (``confine.py``);
- no active content is published: raw markup refused, link schemes
  allowed by list, math without file commands (``content.py``), and a scan
  of what the HTML and EPUB builders wrote (``scan.py``, also
  ``python -m textbook.safety.scan`` after ``make book``);
- references.bib errors named at their line, chapters with one title each
  (``bibcheck.py``);
- every character reaches the PDF, or the build names it (``glyphs.py``);
- SVG figures converted to PDF for LaTeX by ``rsvg-convert``
  (sphinxcontrib-svg2pdfconverter).

The rules shared with the chapter checker are in ``rules.py`` (no Sphinx).
"""

from __future__ import annotations


def setup_safety(app) -> None:
    # Imported here, not at module level: the checker imports ``safety.rules`` and
    # must not load Sphinx (see the package docstring of ``textbook``).
    from . import bibcheck, confine, content, glyphs, printable
    from .build import scan_what_was_written

    app.setup_extension("sphinxcontrib.rsvgconverter")

    app.connect("include-read", confine.refuse_outside_include)
    app.add_directive("include", confine.ConfinedInclude, override=True)
    app.add_directive("literalinclude", confine.ConfinedLiteralInclude, override=True)
    app.add_directive("csv-table", confine.ConfinedCSVTable, override=True)
    app.add_transform(confine.ConfineInsertedFiles)

    app.add_directive("raw", content.RefusedDirective, override=True)
    app.add_directive(content.REFUSED_EVAL_RST, content.RefusedDirective)
    app.connect("source-read", content.refuse_before_parsing)
    app.add_transform(content.RefuseActiveContent)
    app.add_post_transform(content.RefuseUnsafeLinksAfterResolving)
    app.add_role("cite", content.CheckedCiteRole(), override=True)
    content.check_citation_roles(app)

    # Before sphinxcontrib-bibtex parses the bibliography (its handler has priority 500).
    app.connect("builder-inited", bibcheck.check_bibliography_files, priority=400)
    app.connect("builder-inited", bibcheck.share_parse_with_bibtex, priority=400)
    app.connect("env-before-read-docs", bibcheck.stop_capturing_bibtex_errors)
    app.connect("env-check-consistency", bibcheck.refuse_shared_titles)

    app.add_transform(printable.PrintableStructure)
    app.add_post_transform(glyphs.EveryCharacterHasAGlyph)

    app.connect("build-finished", scan_what_was_written, priority=950)
