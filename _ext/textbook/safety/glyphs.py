"""Every character of the text reaches the PDF, or the build names the line and the character.

XeLaTeX prints a character its font lacks as nothing, with one line in its
log ("Missing character: There is no 😀 in font ..."), and the PDF build
passes. Before LaTeX runs, this post-transform looks up every character of the
document in the fonts conf.py names (``\\setmainfont``, ``\\setsansfont``,
``\\setmonofont``, found with fontconfig's ``fc-match`` and read with
fontTools): body text in the main font, headings in the sans font, code in the
mono font. A missing one is an error at the chapter's line, naming the
character. ``textbook.sty`` also sets ``\\tracinglostchars=3``, so anything
that still slips through stops XeLaTeX instead of vanishing.
"""

from __future__ import annotations

from docutils import nodes
from docutils.utils import get_source_line
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from .rules import character_name, configured_families, font_characters

logger = logging.getLogger(__name__)

#: Characters TeX handles without a glyph of the font: spaces, breaks and joiners.
_NO_GLYPH_NEEDED = set("\n\r\t \u00ad\u200b\u200c\u200d\u2060\ufeff")


class EveryCharacterHasAGlyph(SphinxPostTransform):
    default_priority = 950
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        families = configured_families(self.config)
        covers = {kind: font_characters(family) for kind, family in families.items()}
        if not covers.get("main"):
            return
        reported: set[tuple[str, int | None, str]] = set()
        for text in self.document.findall(nodes.Text):
            missing = set(str(text)) - _NO_GLYPH_NEEDED
            if not missing or all(ord(c) < 128 for c in missing):
                continue
            kind = self._font_of(text)
            if kind == "math":
                continue  # math fonts are TeX's own
            cover = covers.get(kind) or covers["main"]
            lacking = sorted(c for c in missing if ord(c) not in cover)
            if not lacking:
                continue
            parent = text.parent
            source, line = get_source_line(parent)
            for char in lacking:
                key = (str(source), line, char)
                if key in reported:
                    continue
                reported.add(key)
                logger.error(f"the character {character_name(char)} is not in the PDF's "
                             f"{families.get(kind, families['main'])} font: it would be missing from the PDF; "
                             "write it out, or ask for a font that has it", location=parent)

    @staticmethod
    def _font_of(text: nodes.Text) -> str:
        for ancestor in _ancestors(text):
            if isinstance(ancestor, (nodes.math, nodes.math_block)):
                return "math"
            if isinstance(ancestor, (nodes.literal, nodes.literal_block)):
                return "mono"
            if isinstance(ancestor, nodes.title):
                return "sans"
        return "main"


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent
