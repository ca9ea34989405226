"""What LaTeX would choke on, refused at the chapter's line while the document is read.

Without these, the Sphinx builds pass and the PDF build then stops in LaTeX
(or xdvipdfmx) with a message about the generated ``.tex``: a citation in a
heading (it is repeated in the contents and the PDF bookmarks), lists and
quotes nested deeper than LaTeX's list levels ("Too deeply nested"), and a
word in a table cell too long to break. The chapter checker has the same rules.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from ..lesson import nodes as tb
from .rules import MAX_NESTING, MAX_UNBREAKABLE_IN_TABLE

#: Lesson parts that stand at a chapter's top level, never inside a box, list or table.
TOP_LEVEL_PARTS = {tb.anchor_summary: "anchor", tb.prove_it: "prove-it", tb.connects_to: "connects-to",
                   tb.margin_note: "margin-note"}

logger = logging.getLogger(__name__)

_NESTING = (nodes.bullet_list, nodes.enumerated_list, nodes.block_quote, nodes.definition_list)


class PrintableStructure(SphinxTransform):
    default_priority = 220

    def apply(self) -> None:
        for node in self.document.findall(lambda n: type(n) in TOP_LEVEL_PARTS):
            container = next((a for a in _ancestors(node) if isinstance(a, (nodes.Admonition, nodes.Body))
                              and not isinstance(a, nodes.section)), None)
            if container is not None:
                inside = TOP_LEVEL_PARTS.get(type(container), container.tagname.replace("_", " "))
                logger.error(f"a {{{TOP_LEVEL_PARTS[type(node)]}}} cannot go inside {_named(inside)}: "
                             "put it at the chapter's top level", location=node)
        for title in self.document.findall(nodes.title):
            if any(ref.get("refdomain") == "cite" or ref.get("reftype") == "cite"
                   for ref in title.findall(addnodes.pending_xref)):
                logger.error("a citation in a heading breaks the PDF (contents and bookmarks): "
                             "cite in the text below it", location=title)
        for node in self.document.findall(lambda n: isinstance(n, _NESTING)):
            depth = 1 + sum(isinstance(a, _NESTING) for a in _ancestors(node))
            if depth == MAX_NESTING + 1:
                logger.error(f"nested {depth} levels deep (lists and quotes); the PDF takes at most "
                             f"{MAX_NESTING}: flatten it", location=node)
        for entry in self.document.findall(nodes.entry):
            for word in re.split(r"[\s/\-\u2013\u2014]+", _printed_text(entry)):
                if len(word) > MAX_UNBREAKABLE_IN_TABLE:
                    logger.error(f"'{word[:40]}…' ({len(word)} characters) cannot break in a table cell and "
                                 f"runs off the PDF page: keep words under {MAX_UNBREAKABLE_IN_TABLE + 1} "
                                 "characters, or add spaces", location=entry)
                    break


def _named(tagname: str) -> str:
    return f"{{{tagname}}}" if tagname in TOP_LEVEL_PARTS.values() else f"a {tagname}"


def _printed_text(entry: nodes.Element) -> str:
    """The text of a table cell as printed: a citation's keys become its number later."""
    return " ".join(str(text) for text in entry.findall(nodes.Text)
                    if not any(isinstance(a, addnodes.pending_xref) and a.get("refdomain") == "cite"
                               for a in _ancestors(text)))


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent
