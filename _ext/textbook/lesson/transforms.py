"""Reading a lesson: its header from the front matter, and the parts it must have."""

from __future__ import annotations

import json

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from . import nodes as tb
from . import schema

logger = logging.getLogger(__name__)

#: Parts every lesson has exactly one of, with the directive that makes each.
REQUIRED_PARTS = (
    (tb.anchor_summary, "anchor"),
    (tb.prove_it, "prove-it"),
    (tb.connects_to, "connects-to"),
)


def _first_section(document: nodes.document) -> nodes.section | None:
    return next(iter(document.findall(nodes.section)), None)


class LessonHeader(SphinxTransform):
    """Turn the ``lesson`` front matter into the header under the chapter title.

    Runs after MyST has parsed the front matter (it seeds ``env.metadata``
    during the parse) and before Sphinx collects titles and metadata.
    """

    default_priority = 500

    def apply(self) -> None:
        docname, source = self.env.docname, self.document["source"]
        raw = self.env.metadata[docname].get("lesson")
        if raw is None:
            self._refuse_lesson_parts_outside_a_lesson()
            return
        try:
            data = json.loads(raw)
        except ValueError:
            data = raw
        config = self.config
        lesson, problems = schema.validate(
            data, stages=config.textbook_stages,
            concepts_per_stage=config.textbook_concepts_per_stage,
            series=config.textbook_series,
        )
        for problem in problems:
            logger.error("lesson front matter: %s", problem.message,
                         location=(docname, schema.key_line(source, problem.key)))
        if lesson is None:
            return
        section = _first_section(self.document)
        if section is None:
            logger.error("a lesson needs a '# %s' heading after its front matter",
                         lesson.title, location=(docname, 1))
            return
        heading = section[0].astext()
        if heading != lesson.title:
            logger.error("lesson front matter: title '%s' differs from the chapter heading '%s'",
                         lesson.title, heading, location=(docname, schema.key_line(source, "title")))
        header = tb.lesson_header(
            lesson_id=lesson.id, context=lesson.context, position=lesson.position,
            subtitle=lesson.subtitle, reviewed=lesson.reviewed.isoformat(),
            sort_key=list(lesson.sort_key),
        )
        header.source, header.line = source, schema.key_line(source, "lesson")
        section.insert(1, header)
        self.env.get_domain("textbook").note_lesson(docname, header, heading)

    def _refuse_lesson_parts_outside_a_lesson(self) -> None:
        for node in self.document.findall(nodes.Admonition):
            if isinstance(node, (tb.anchor_summary, tb.prove_it)):
                logger.error("'%s' is a lesson part, but this page has no 'lesson' front matter",
                             node.tagname, location=node)


class LessonParts(SphinxTransform):
    """Check that a lesson has exactly one of each required part, and record its anchor."""

    default_priority = LessonHeader.default_priority + 1

    def apply(self) -> None:
        header = next(iter(self.document.findall(tb.lesson_header)), None)
        if header is None:
            return
        docname = self.env.docname
        for node_class, directive in REQUIRED_PARTS:
            found = list(self.document.findall(node_class))
            if not found:
                logger.error("lesson %s has no {%s}: every lesson needs exactly one",
                             header["lesson_id"], directive, location=header)
            for extra in found[1:]:
                logger.error("lesson %s has a second {%s}: a lesson has exactly one",
                             header["lesson_id"], directive, location=extra)
            if node_class is tb.anchor_summary and found:
                self.env.get_domain("textbook").note_anchor(docname, found[0])
        for answer in self.document.findall(tb.model_answer):
            if not isinstance(answer.parent, tb.prove_it):
                logger.error("an {answer} belongs inside a {prove-it} case", location=answer)
        if not any(node.tagname == "bibliography" for node in self.document.findall(nodes.Element)):
            logger.error("lesson %s has no {bibliography}: end it with a References section",
                         header["lesson_id"], location=header)
