"""The Key points page: every chapter's anchor, in reading order."""

from __future__ import annotations

from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes
from sphinx.util.nodes import make_refnode

from . import nodes as tb


def fill_key_points(app, doctree: nodes.document, docname: str) -> None:
    """Replace each ``key_points`` placeholder with the anchors the domain collected."""
    domain = app.env.get_domain("textbook")
    for placeholder in list(doctree.findall(tb.key_points)):
        content: list[nodes.Node] = []
        for lesson_id, lesson in domain.lessons_in_order():
            anchor = domain.anchors.get(lesson["docname"])
            if anchor is None:
                continue
            text = f"{lesson_id} {lesson['title']}"
            heading = nodes.paragraph(classes=["key-point-title"])
            heading += make_refnode(app.builder, docname, lesson["docname"], "",
                                    nodes.strong(text, text), text)
            summary = _resolved_copy(app, anchor, docname)
            summary["classes"].append("key-point-summary")
            content.append(nodes.container("", heading, summary, classes=["key-point"]))
        placeholder.replace_self(content or [nodes.paragraph(text="No chapter has an anchor yet.")])


def _resolved_copy(app, paragraph: nodes.paragraph, docname: str) -> nodes.paragraph:
    """Copy an anchor and resolve its links (e.g. {lesson}) as seen from ``docname``."""
    copy = paragraph.deepcopy()
    for ref in copy.findall(addnodes.pending_xref):
        ref["refdoc"] = docname
    # resolve_references works on a document, so lend the copy one.
    scratch = new_document("")
    scratch += copy
    app.env.resolve_references(scratch, docname, app.builder)
    scratch.remove(copy)
    return copy


def note_key_points_page(app, doctree: nodes.document) -> None:
    """Remember which pages list the anchors, so they are rewritten when a chapter changes."""
    pages = app.env.get_domain("textbook").key_point_pages
    if any(True for _ in doctree.findall(tb.key_points)):
        pages.add(app.env.docname)
    else:
        pages.discard(app.env.docname)


def _what_key_points_show(domain) -> tuple:
    """Everything a Key points page is made from: the lessons and their anchors."""
    lessons = sorted((lesson_id, lesson["docname"], lesson["title"], lesson["sort_key"])
                     for lesson_id, lesson in domain.lessons.items())
    return lessons, {docname: anchor.pformat() for docname, anchor in domain.anchors.items()}


def remember_key_points(app, env, docnames) -> None:
    """Before reading: note what the Key points pages show now."""
    domain = env.get_domain("textbook")
    domain.key_points_before_reading = _what_key_points_show(domain)


def key_points_pages_to_rewrite(app, env) -> list[str]:
    """After reading: rewrite the Key points pages only if a lesson or an anchor changed.

    The page's own source holds just the placeholder, so it is never re-read;
    editing a chapter's body leaves it as it was.
    """
    domain = env.get_domain("textbook")
    if _what_key_points_show(domain) == getattr(domain, "key_points_before_reading", None):
        return []
    return sorted(domain.key_point_pages & env.found_docs)
