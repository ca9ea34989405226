""""Cite this chapter": APA-like text and a BibTeX entry at the end of each chapter's web page.

Only in the HTML: the PDF's title page and the EPUB's metadata carry the release, and
CITATION.cff stays the citation of the whole module. The box is Sphinx's collapsible
admonition (``<details>``, no JavaScript), closed until a reader opens it.

The BibTeX entry is a ``<code>`` block that wraps, not a ``<pre>``: pydata-sphinx-theme
0.20's script measures every ``<pre>`` once the page has loaded, to make the ones that
scroll focusable, and measuring one inside the closed box lays it out with its monospace
font first (about 35 ms on the Lighthouse machine, time a phone's reader waits for).
The entry never scrolls sideways, so there is nothing to measure.
"""

from __future__ import annotations

import html
import re

from docutils import nodes

from ..publish.downloadlinks import WEB_BUILDERS
from ..publish.parts import chapters_in_parts

CITE_TITLE = "Cite this chapter"


def citation_year(config) -> str:
    """The release's year (releases are numbered YYYY.MM), else the copyright's."""
    for text in (config.release, config.copyright):
        found = re.match(r"\s*(\d{4})", text or "")
        if found:
            return found.group(1)
    return ""


def chapter_citation(config, lesson_id: str, title: str, url: str) -> tuple[str, str]:
    """(APA-like text, BibTeX entry) for one chapter."""
    year = citation_year(config)
    heading = f"{lesson_id} {title}".strip()
    apa = (f"{config.author}. ({year}). {heading}. In {config.project} "
           f"(Release {config.release}).")
    if url:
        apa += f" {url}"
    key = re.sub(r"[^A-Za-z0-9]+", "-", f"stage14-{lesson_id or title}-{config.release}").strip("-").lower()
    fields = [
        ("author", f"{{{config.author}}}"),
        ("title", heading),
        ("booktitle", config.project),
        ("year", year),
        ("edition", f"Release {config.release}"),
        ("note", "Open psychiatry textbook module; for education, not medical advice"),
    ]
    if url:
        fields.append(("url", url))
    bibtex = f"@incollection{{{key},\n" + "".join(
        f"  {name} = {{{_bibtex_escape(value)}}},\n" for name, value in fields) + "}"
    return apa, bibtex


def _bibtex_escape(value: str) -> str:
    return value.replace("&", r"\&").replace("%", r"\%").replace("#", r"\#")


def add_citation(app, doctree: nodes.document, docname: str) -> None:
    if app.builder.name not in WEB_BUILDERS or docname not in chapters_in_parts(app.env):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    lessons = app.env.get_domain("textbook").lessons
    lesson_id, lesson = next(((key, item) for key, item in lessons.items()
                              if item["docname"] == docname), ("", None))
    title = lesson["title"] if lesson else app.env.titles[docname].astext()
    base = app.config.html_baseurl
    url = base + app.builder.get_target_uri(docname) if base else ""
    apa, bibtex = chapter_citation(app.config, lesson_id, title, url)

    box = nodes.admonition(classes=["textbook-cite"], collapsible="closed")
    box += nodes.title(CITE_TITLE, CITE_TITLE)
    text = nodes.paragraph(classes=["textbook-cite-text"])
    book = app.config.project
    before, _, after = apa.partition(book)
    text += nodes.Text(before)
    text += nodes.emphasis(book, book)
    if url:
        head, _, _tail = after.partition(url)
        text += nodes.Text(head)
        text += nodes.reference(url, url, refuri=url)
    else:
        text += nodes.Text(after)
    box += text
    box += nodes.paragraph("", "BibTeX:")
    entry = f'<div class="textbook-cite-bibtex"><code>{html.escape(bibtex, quote=False)}</code></div>'
    box += nodes.raw(bibtex, entry, format="html")
    section += box
