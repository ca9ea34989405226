"""Directives and the ``lesson`` role, as written in a chapter's MyST source."""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective, SphinxRole

from . import nodes as tb


class _BoxDirective(SphinxDirective):
    """A titled box whose body is parsed as ordinary content."""

    has_content = True
    node_class: type[nodes.Admonition]
    css_class: str

    def box(self, title: str, classes: list[str]) -> nodes.Admonition:
        if not self.content:
            raise self.error(f"'{self.name}' needs content")
        node = self.node_class("\n".join(self.content), classes=[self.css_class, *classes])
        self.set_source_info(node)
        title_nodes, _ = self.parse_inline(title, lineno=self.lineno)
        node += nodes.title(title, "", *title_nodes)
        node += self.parse_content_to_nodes(allow_section_headings=False)
        return node


class MarginNoteDirective(_BoxDirective):
    """``{margin-note} <kind>``: a note beside the text, of a kind from a fixed list."""

    required_arguments = 1
    option_spec = {"title": directives.unchanged_required}
    node_class = tb.margin_note
    css_class = "margin-note"

    def run(self) -> list[nodes.Node]:
        kind = self.arguments[0].strip()
        kinds = self.config.textbook_margin_note_kinds
        if kind not in kinds:
            raise self.error(
                f"unknown margin-note kind '{kind}'; use one of: {', '.join(kinds)}"
            )
        # 'margin' is the class sphinx-book-theme floats into the page margin.
        node = self.box(self.options.get("title", kinds[kind]), ["margin", f"margin-note-{kind}"])
        node["kind"] = kind
        return [node]


class AnchorDirective(_BoxDirective):
    """``{anchor}``: the chapter's one-paragraph summary."""

    node_class = tb.anchor_summary
    css_class = "anchor-summary"

    def run(self) -> list[nodes.Node]:
        node = self.box(self.config.textbook_anchor_title, [])
        body = node.children[1:]
        if len(body) != 1 or not isinstance(body[0], nodes.paragraph):
            raise self.error(
                f"the anchor must be exactly one paragraph (found {len(body)} blocks)"
            )
        if any(ref.get("refdomain") == "cite" for ref in node.findall(addnodes.pending_xref)):
            raise self.error(
                "the anchor is a summary and is also shown on the Key points page: "
                "cite the evidence in the body, not in the anchor"
            )
        return [node]


class ProveItDirective(_BoxDirective):
    """``{prove-it} [case title]``: a vignette holding exactly one ``{answer}``."""

    optional_arguments = 1
    final_argument_whitespace = True
    node_class = tb.prove_it
    css_class = "prove-it"

    def run(self) -> list[nodes.Node]:
        title = self.config.textbook_prove_it_title
        if self.arguments:
            title = f"{title}: {self.arguments[0]}"
        node = self.box(title, [])
        answers = [child for child in node.children if isinstance(child, tb.model_answer)]
        nested = list(node.findall(tb.model_answer))
        if len(answers) != 1 or len(nested) != 1:
            raise self.error(
                f"a prove-it case needs exactly one {{answer}} directly inside it (found {len(nested)}); "
                "nest it with a shorter fence, e.g. '::::{prove-it}' around ':::{answer}'"
            )
        if len(node.children) < 3:
            raise self.error("a prove-it case needs the vignette before its {answer}")
        return [node]


class AnswerDirective(_BoxDirective):
    """``{answer}``: the model answer inside a prove-it case."""

    node_class = tb.model_answer
    css_class = "model-answer"

    def run(self) -> list[nodes.Node]:
        node = self.box(self.config.textbook_answer_title, [])
        # Sphinx's own collapsible admonition: <details> in HTML, no JavaScript.
        node["collapsible"] = "closed"
        return [node]


class ConnectsToDirective(_BoxDirective):
    """``{connects-to}``: a bullet list, each item opening with a ``{lesson}`` link."""

    node_class = tb.connects_to
    css_class = "connects-to"

    def run(self) -> list[nodes.Node]:
        node = self.box(self.config.textbook_connects_to_title, [])
        body = node.children[1:]
        if len(body) != 1 or not isinstance(body[0], nodes.bullet_list):
            raise self.error("connects-to must hold one bullet list, an item per related lesson")
        for item in body[0].children:
            if not any(ref.get("reftype") == "lesson" for ref in item.findall(addnodes.pending_xref)):
                raise self.error(
                    f"each connects-to item must link a lesson with {{lesson}}`ID`: '{item.astext()[:60]}'"
                )
        return [node]


class KeyPointsDirective(SphinxDirective):
    """``{key-points}``: where every chapter's anchor is listed, in reading order."""

    def run(self) -> list[nodes.Node]:
        node = tb.key_points()
        self.set_source_info(node)
        return [node]


class LessonRole(SphinxRole):
    """``{lesson}`L14.3```: a link to a lesson by its id, titled from its header."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        target = self.text.strip()
        ref = addnodes.pending_xref(
            self.rawtext, refdomain="textbook", reftype="lesson", reftarget=target,
            refexplicit=False, refwarn=True, refdoc=self.env.docname,
        )
        ref += nodes.inline(target, target, classes=["lesson-ref"])
        self.set_source_info(ref)
        return [ref], []
