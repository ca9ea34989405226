"""The EPUB: its theme (the book's boxes for e-readers, the notice in every file),
model answers printed open, as in the PDF, and what makes it an accessible
publication (EPUB Accessibility 1.1, checked by Ace by DAISY in the tests).

E-readers differ in how they show ``<details>``: some hide the content with no way
to open it. An e-book is read like the printed book, so its answers are plain boxes.

Accessibility, beside the theme's ``lang``/``xml:lang`` on every file:

- the package document declares the schema.org accessibility metadata, computed
  from the book at build time so that it stays true: ``accessMode`` visual and
  ``alternativeText`` only when the book has images, ``accessModeSufficient``
  textual and the ``dcterms:conformsTo`` claim only when every image has a text
  alternative (an image without one is a ``file:line`` build error);
- the navigation document's toc has the matching ``doc-toc`` role, and a
  landmarks nav leads to the title page, the contents, the body and back matter;
- the contents' part captions ("Part I. Concept lessons") are headings with a level.

Sphinx 9.0 writes the package and navigation documents from templates without
blocks, so the builder reads its own copies of those two (``epub3/``) and Sphinx's
for the rest.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.epub3 import Epub3Builder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from ..lesson import nodes as tb
from .parts import BACK_MATTER, chapters_in_parts

logger = logging.getLogger(__name__)

#: Sphinx's epub theme with the book's stylesheet and notice; conf.py selects it (epub_theme).
THEME_NAME = "textbook_epub"
THEME_PATH = Path(__file__).parent / "themes" / THEME_NAME


class OpenAnswersInEpub(SphinxPostTransform):
    default_priority = 900
    builders = ("epub",)

    def run(self, **kwargs) -> None:
        for answer in self.document.findall(tb.model_answer):
            answer.attributes.pop("collapsible", None)


# -- Accessibility metadata ------------------------------------------------------

#: The conformance the package document claims when every image has a text alternative
#: (the exact string EPUB Accessibility 1.1 defines, which Ace checks).
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
#: Who checked, and with what: the project's own automated checks (tests/publish/test_accessibility.py).
CHECKED_BY = "the project's automated checks"
CHECKS = "Ace by DAISY 1.4.6 (no violations allowed) and EPUBCheck (no errors or warnings allowed)"


class ImageCensus(NamedTuple):
    images: int  # images in the book's documents
    without_alt: int  # of which have no text alternative


def count_images(env) -> ImageCensus:
    """Count the book's images and report, as a build error at its line, each one
    without alt text. Only documents that show an image are read again."""
    docnames = sorted({docname for docnames, _unique in env.images.values() for docname in docnames})
    images = without_alt = 0
    for docname in docnames:
        for image in env.get_doctree(docname).findall(nodes.image):
            images += 1
            if not image.get("alt", "").strip():
                without_alt += 1
                logger.error("image %s has no alt text: add one (:alt:) that says what it shows; "
                             "the EPUB cannot declare its images readable as text without it",
                             image.get("uri", "?"), location=image)
    return ImageCensus(images, without_alt)


def accessibility_metadata(census: ImageCensus, publisher: str) -> dict:
    """The schema.org accessibility properties of the package document, true for this book."""
    every_image_described = census.without_alt == 0
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if census.images and every_image_described:
        features.append("alternativeText")
    if not census.images:
        images = "It has no images."
    elif every_image_described:
        images = ("Its one image has a text alternative." if census.images == 1
                  else f"Each of its {census.images} images has a text alternative.")
    else:
        images = f"{census.without_alt} of its {census.images} images lack a text alternative."
    summary = (
        "The full text of the module, with headings, a table of contents and landmarks to "
        "navigate by, in the reading order of the printed book; the reader can resize and "
        f"restyle the text. {images} It has no flashing, sound or motion hazards. The project's "
        f"tests check every change to it with {CHECKS}."
    )
    return {
        "access_modes": ["textual"] + (["visual"] if census.images else []),
        # Text alone suffices only when every image can be read as text.
        "access_modes_sufficient": (["textual"] if every_image_described else [])
                                   + (["textual,visual"] if census.images else []),
        "features": features,
        "hazards": ["none"],
        "summary": html.escape(summary),
        "conforms_to": CONFORMS_TO if every_image_described else "",
        "certified_by": html.escape(f"{publisher}, by {CHECKED_BY}: {CHECKS}"),
    }


class Landmark(NamedTuple):
    type: str  # the epub:type of the place
    href: str
    title: str


def landmarks(env, suffix: str) -> list[Landmark]:
    """Title page and contents (the root document), the body (the first chapter of the
    parts) and the back matter (the first document of the "Back matter" toctree)."""
    root = env.config.root_doc
    found = [Landmark("titlepage", root + suffix, "Title page"), Landmark("toc", root + suffix, "Contents")]
    chapters = chapters_in_parts(env)
    if chapters:
        found.append(Landmark("bodymatter", chapters[0] + suffix, "Start of content"))
    for toctree in env.get_doctree(root).findall(addnodes.toctree):
        if BACK_MATTER.match(toctree.get("caption") or "") and toctree["entries"]:
            found.append(Landmark("backmatter", toctree["entries"][0][1] + suffix, "Back matter"))
            break
    return [Landmark(mark.type, html.escape(mark.href), html.escape(mark.title)) for mark in found]


class _Templates:
    """Sphinx's epub3 templates folder, with the textbook's copies (``epub3/``) in front."""

    own = Path(__file__).parent / "epub3"

    def __init__(self, sphinx_templates: Path):
        self.sphinx_templates = Path(sphinx_templates)

    def __truediv__(self, name: str) -> Path:
        own = self.own / name
        return own if own.is_file() else self.sphinx_templates / name


class AccessibleEpub3Builder(Epub3Builder):
    """Sphinx's EPUB 3 builder, declaring the book's accessibility and its landmarks."""

    template_dir = _Templates(Epub3Builder.template_dir)

    def content_metadata(self) -> dict:
        metadata = super().content_metadata()
        census = count_images(self.env)
        metadata["a11y"] = accessibility_metadata(census, self.config.epub_publisher)
        return metadata

    def navigation_doc_metadata(self, navlist) -> dict:
        metadata = super().navigation_doc_metadata(navlist)
        metadata["landmarks"] = landmarks(self.env, self.out_suffix)
        metadata["landmarks_locale"] = "Landmarks"
        return metadata


def use_epub_translator(app) -> None:
    """In an EPUB build only, write the pages with :class:`EpubTranslator`.

    Not registered in ``setup()``: pydata-sphinx-theme (0.20, under sphinx-book-theme)
    adds its Bootstrap mixin (tables in scrolling containers, ``aria-level`` on headings)
    to the HTML builder's translator only when no translator is registered at all, so
    one registered for the EPUB at setup would silently drop it from the web pages."""
    if app.builder.name == "epub":
        app.set_translator("epub", EpubTranslator, override=True)


class EpubTranslator(HTML5Translator):
    """Sphinx's HTML5 translator, for the EPUB's pages (see :func:`use_epub_translator`)."""

    def visit_title(self, node: nodes.title) -> None:
        """A toctree's caption ("Part I. Concept lessons") as Sphinx writes it, a paragraph
        with the heading role, plus the ``aria-level`` that role requires (one below its section)."""
        parent = node.parent
        if isinstance(parent, addnodes.compact_paragraph) and parent.get("toctree"):
            level = str(min(self.section_level + self.initial_header_level, 6))
            self.body.append(self.starttag(node, "p", "", CLASS="caption", ROLE="heading",
                                           **{"aria-level": level}))
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
        else:
            super().visit_title(node)
