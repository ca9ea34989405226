"""Doctree nodes of a lesson.

The boxed parts subclass ``nodes.Admonition`` so that every builder's own
admonition handling (HTML ``<div class="admonition">``, the text writer's
indented block) applies; only LaTeX gets environments of its own.
"""

from __future__ import annotations

from docutils import nodes


class lesson_header(nodes.General, nodes.Element):
    """The block under a lesson's title: id, stage or series, position, subtitle, review date.

    Attributes: ``lesson_id``, ``context``, ``position``, ``subtitle``, ``reviewed`` (ISO date).
    """


class margin_note(nodes.Admonition, nodes.Element):
    """A short note beside the text; ``kind`` says what sort of note it is."""


class anchor_summary(nodes.Admonition, nodes.Element):
    """The anchor: the one-paragraph summary of a chapter."""


class prove_it(nodes.Admonition, nodes.Element):
    """A case vignette for the reader to reason through; holds one ``model_answer``."""


class model_answer(nodes.Admonition, nodes.Element):
    """The reasoned answer to a ``prove_it`` case: collapsed in HTML, printed in the PDF."""


class connects_to(nodes.Admonition, nodes.Element):
    """Links from this lesson to related lessons."""


class key_points(nodes.General, nodes.Element):
    """Placeholder replaced, once every chapter is read, by all the anchors in reading order."""
