"""Parts in the PDF: each captioned toctree of the root document starts a part.

In HTML the captions ("Part I. Concept lessons") head the navigation. The
LaTeX builder inlines the chapters and drops the captions, so this puts a
``\\part`` before the first chapter of each toctree whose caption starts with
"Part" (LaTeX numbers parts itself, so "Part I." is dropped from the title),
and ``\\appendix`` before the back matter.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform


class part_divider(nodes.General, nodes.Element):
    """A part title (the toctree caption) before the first chapter of a part (LaTeX only)."""


class PartsFromToctreeCaptions(SphinxPostTransform):
    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        root = self.config.root_doc
        first_of_part = {}
        for toctree in self.env.get_doctree(root).findall(addnodes.toctree):
            if toctree.get("caption") and toctree["entries"]:
                first_of_part[toctree["entries"][0][1]] = toctree["caption"]
        for start in list(self.document.findall(addnodes.start_of_file)):
            caption = first_of_part.get(start.get("docname"))
            if caption:
                start.parent.insert(start.parent.index(start), part_divider(title=caption))


PART_CAPTION = re.compile(r"^Part\s+[IVXLC\d]+\.?\s*", re.IGNORECASE)
BACK_MATTER = re.compile(r"^(back matter|appendi(x|ces))$", re.IGNORECASE)


def chapters_in_parts(env) -> list[str]:
    """The documents of the root's "Part …" toctrees, in reading order (not the back matter)."""
    root = env.get_doctree(env.config.root_doc)
    return [docname for toctree in root.findall(addnodes.toctree)
            if PART_CAPTION.match(toctree.get("caption") or "")
            for _title, docname in toctree["entries"] if docname in env.all_docs]


def visit_part_divider_latex(self, node: part_divider) -> None:
    caption = node["title"].strip()
    if PART_CAPTION.match(caption):
        self.body.append("\n\\part{{{}}}\n".format(self.encode(PART_CAPTION.sub("", caption))))
    elif BACK_MATTER.match(caption):
        self.body.append("\n\\appendix\n")
    raise nodes.SkipNode


def skip(self, node) -> None:
    raise nodes.SkipNode
