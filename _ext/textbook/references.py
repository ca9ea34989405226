"""Per-chapter reference lists in the PDF.

Sphinx's LaTeX builder gathers every citation of the book into one
bibliography at the end (``BibliographyTransform``). A textbook chapter ends
with its own numbered references, so before that gathering runs, each run of
citations is turned into a ``reference_list`` that stays in its chapter.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import nodes as tb


class KeepReferencesInChapter(SphinxPostTransform):
    # Sphinx's BibliographyTransform (the gathering) runs at 750.
    default_priority = 740
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for parent in {citation.parent for citation in self.document.findall(nodes.citation)}:
            self._replace_runs(parent)

    def _replace_runs(self, parent: nodes.Element) -> None:
        children: list[nodes.Node] = []
        for child in parent.children:
            if not isinstance(child, nodes.citation):
                children.append(child)
                continue
            if not children or not isinstance(children[-1], tb.reference_list):
                children.append(tb.reference_list())
            children[-1] += self._item(child)
        parent.children = []
        parent.extend(children)

    @staticmethod
    def _item(citation: nodes.citation) -> tb.reference_item:
        label = citation[0].astext()
        item = tb.reference_item(label=label, target=f"{citation['docname']}:{citation['ids'][0]}")
        item.extend(child.deepcopy() for child in citation.children[1:])
        return item


def visit_reference_list_latex(self, node: tb.reference_list) -> None:
    widest = max((item["label"] for item in node.children), key=len, default="0")
    self.body.append(f"\n\\begin{{textbookreferences}}{{{self.encode(widest)}}}\n")


def depart_reference_list_latex(self, node: tb.reference_list) -> None:
    self.body.append("\\end{textbookreferences}\n")


def visit_reference_item_latex(self, node: tb.reference_item) -> None:
    # The same hypertarget as a \bibitem, so citation links land here.
    self.body.append("\\textbookreference{{{}}}{{{}}}".format(self.encode(node["label"]), node["target"]))


def depart_reference_item_latex(self, node: tb.reference_item) -> None:
    pass
