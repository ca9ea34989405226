"""The EPUB: its theme (the book's boxes for e-readers, the notice in every file)
and model answers printed open, as in the PDF.

E-readers differ in how they show ``<details>``: some hide the content with no way
to open it. An e-book is read like the printed book, so its answers are plain boxes.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.transforms.post_transforms import SphinxPostTransform

from ..lesson import nodes as tb

#: Sphinx's epub theme with the book's stylesheet and notice; conf.py selects it (epub_theme).
THEME_NAME = "textbook_epub"
THEME_PATH = Path(__file__).parent / "themes" / THEME_NAME


class OpenAnswersInEpub(SphinxPostTransform):
    default_priority = 900
    builders = ("epub",)

    def run(self, **kwargs) -> None:
        for answer in self.document.findall(tb.model_answer):
            answer.attributes.pop("collapsible", None)
