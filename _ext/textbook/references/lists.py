"""How a chapter's numbered reference list is written.

In the PDF: Sphinx's LaTeX builder gathers every citation of the book into one
bibliography at the end (``BibliographyTransform``). A textbook chapter ends
with its own numbered references, so before that gathering runs, each run of
citations is turned into a ``reference_list`` that stays in its chapter.

In HTML: each entry is an ARIA list item (see ``visit_citation_html``).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform


class reference_list(nodes.General, nodes.Element):
    """A chapter's numbered references, kept where the chapter puts them (LaTeX only)."""


class reference_item(nodes.General, nodes.Element):
    """One entry of a ``reference_list``; ``label`` and ``target`` mirror a citation's."""


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
            if not children or not isinstance(children[-1], reference_list):
                children.append(reference_list())
            children[-1] += self._item(child)
        parent.children = []
        parent.extend(children)

    @staticmethod
    def _item(citation: nodes.citation) -> reference_item:
        label = citation[0].astext()
        item = reference_item(label=label, target=f"{citation['docname']}:{citation['ids'][0]}")
        item.extend(child.deepcopy() for child in citation.children[1:])
        return item


def visit_reference_list_latex(self, node: reference_list) -> None:
    widest = max((item["label"] for item in node.children), key=len, default="0")
    self.body.append(f"\n\\begin{{textbookreferences}}{{{self.encode(widest)}}}\n")


def depart_reference_list_latex(self, node: reference_list) -> None:
    self.body.append("\\end{textbookreferences}\n")


def visit_reference_item_latex(self, node: reference_item) -> None:
    # The same hypertarget as a \bibitem, so citation links land here.
    self.body.append("\\textbookreference{{{}}}{{{}}}".format(self.encode(node["label"]), node["target"]))


def depart_reference_item_latex(self, node: reference_item) -> None:
    pass


# -- HTML --------------------------------------------------------------------

def visit_citation_html(self, node: nodes.citation) -> None:
    # docutils marks a reference-list entry role="doc-biblioentry", a role ARIA 1.2
    # deprecates (axe: aria-deprecated-role), inside a role="list" that then has no
    # list items (aria-required-children). A plain list item reads the same.
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation_html(self, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")
