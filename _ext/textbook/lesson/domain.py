"""The ``textbook`` domain: which documents are lessons, and their anchors.

State shared across documents lives here (not on the app or the builder), so
that Sphinx can read documents in parallel and merge what each process found.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from . import nodes as tb

logger = logging.getLogger(__name__)


class TextbookDomain(Domain):
    name = "textbook"
    label = "Textbook"
    object_types = {"lesson": ObjType("lesson", "lesson")}
    initial_data: dict[str, Any] = {
        # lesson id -> {docname, title, subtitle, context, position, sort_key, line}
        "lessons": {},
        # docname -> the anchor's paragraph, as read
        "anchors": {},
        # pages holding a {key-points} list, rewritten whenever a lesson or an anchor changes
        "key_point_pages": set(),
        # formatted references from the last build, reused while unchanged (refcache.py)
        "formatted_references": {},
    }
    data_version = 2

    @property
    def lessons(self) -> dict[str, dict[str, Any]]:
        return self.data["lessons"]

    @property
    def key_point_pages(self) -> set[str]:
        return self.data["key_point_pages"]

    @property
    def anchors(self) -> dict[str, nodes.paragraph]:
        return self.data["anchors"]

    def note_lesson(self, docname: str, header: tb.lesson_header, title: str) -> None:
        lesson_id = header["lesson_id"]
        other = self.lessons.get(lesson_id)
        if other and other["docname"] != docname:
            logger.error(
                "lesson id %s is already used by %s", lesson_id,
                self.env.doc2path(other["docname"]), location=header,
            )
            return
        self.lessons[lesson_id] = {
            "docname": docname, "title": title, "subtitle": header["subtitle"],
            "context": header["context"], "position": header["position"],
            "sort_key": tuple(header["sort_key"]),
        }

    def note_anchor(self, docname: str, anchor: tb.anchor_summary) -> None:
        paragraph = next(iter(anchor.findall(nodes.paragraph))).deepcopy()
        # A copy's nodes still point at the chapter's whole doctree; cut them
        # loose, or every chapter's doctree is pickled into the environment
        # (17 MB at 200 chapters, loaded and saved again by every build).
        for node in paragraph.findall():
            node.document = None
        self.anchors[docname] = paragraph

    def lessons_in_order(self) -> list[tuple[str, dict[str, Any]]]:
        return sorted(self.lessons.items(), key=lambda item: item[1]["sort_key"])

    def clear_doc(self, docname: str) -> None:
        for lesson_id, lesson in list(self.lessons.items()):
            if lesson["docname"] == docname:
                del self.lessons[lesson_id]
        self.anchors.pop(docname, None)
        self.key_point_pages.discard(docname)

    def merge_domaindata(self, docnames: set[str], otherdata: dict[str, Any]) -> None:
        for lesson_id, lesson in otherdata["lessons"].items():
            if lesson["docname"] in docnames:
                self.lessons[lesson_id] = lesson
        for docname, anchor in otherdata["anchors"].items():
            if docname in docnames:
                self.anchors[docname] = anchor
        self.key_point_pages.update(otherdata["key_point_pages"] & docnames)

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        lesson = self.lessons.get(target)
        if lesson is None:
            known = ", ".join(sorted(self.lessons)) or "none"
            logger.error("unknown lesson '%s' in a {lesson} link (known lessons: %s)",
                         target, known, location=node)
            # Keep the reader's text rather than drop it.
            return contnode
        text = f"{target} {lesson['title']}"
        return make_refnode(builder, fromdocname, lesson["docname"], "",
                            nodes.inline(text, text, classes=["lesson-ref"]), text)

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        return []

    def get_objects(self):
        for lesson_id, lesson in self.lessons.items():
            yield lesson_id, f"{lesson_id} {lesson['title']}", "lesson", lesson["docname"], "", 1
