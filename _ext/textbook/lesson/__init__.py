"""The lesson wing: a chapter's required parts, from front matter to every writer.

``schema`` (the front matter's rules, pure Python) is shared with the checker;
``nodes``, ``directives``, ``transforms``, ``domain``, ``keypoints`` and ``writers``
make the parts in the build.
"""

from __future__ import annotations


def setup_lesson(app) -> None:
    # Imported here, not at module level: the checker imports ``lesson.schema``
    # and must not load Sphinx (see the package docstring).
    from . import directives, keypoints, transforms, writers
    from . import nodes as tb
    from .domain import TextbookDomain
    from .schema import MARGIN_NOTE_KINDS

    app.add_config_value("textbook_stages", {}, "env", dict)
    app.add_config_value("textbook_concepts_per_stage", 5, "env", int)
    app.add_config_value("textbook_series", {}, "env", dict)
    app.add_config_value("textbook_margin_note_kinds", MARGIN_NOTE_KINDS, "env", dict)
    app.add_config_value("textbook_anchor_title", "The anchor", "env", str)
    app.add_config_value("textbook_prove_it_title", "Prove it", "env", str)
    app.add_config_value("textbook_answer_title", "Model answer", "env", str)
    app.add_config_value("textbook_connects_to_title", "This connects to", "env", str)

    app.add_node(tb.lesson_header,
                 html=(writers.visit_lesson_header_html, None),
                 latex=(writers.visit_lesson_header_latex, None),
                 text=(writers.visit_lesson_header_text, None))
    box = (writers.visit_box, writers.depart_box)
    app.add_node(tb.margin_note, html=box, text=box,
                 latex=(writers.visit_margin_note_latex, writers.depart_margin_note_latex))
    app.add_node(tb.model_answer, html=box, text=box,
                 latex=(writers.visit_model_answer_latex, writers.depart_model_answer_latex))
    for boxed in (tb.anchor_summary, tb.prove_it, tb.connects_to):
        app.add_node(boxed, html=box, text=box, latex=(writers.visit_box_latex, writers.depart_box_latex))
    unresolved = (writers.visit_key_points_unresolved, None)
    app.add_node(tb.key_points, html=unresolved, latex=unresolved, text=unresolved)

    app.add_directive("margin-note", directives.MarginNoteDirective)
    app.add_directive("anchor", directives.AnchorDirective)
    app.add_directive("prove-it", directives.ProveItDirective)
    app.add_directive("answer", directives.AnswerDirective)
    app.add_directive("connects-to", directives.ConnectsToDirective)
    app.add_directive("key-points", directives.KeyPointsDirective)
    app.add_role("lesson", directives.LessonRole())
    app.add_domain(TextbookDomain)

    app.add_transform(transforms.LessonHeader)
    app.add_transform(transforms.LessonParts)
    app.connect("doctree-read", keypoints.note_key_points_page)
    app.connect("env-before-read-docs", keypoints.remember_key_points)
    app.connect("env-updated", keypoints.key_points_pages_to_rewrite)
    app.connect("doctree-resolved", keypoints.fill_key_points)
