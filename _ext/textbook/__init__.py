"""Sphinx extension for the textbook's lessons.

Directives: ``margin-note``, ``anchor``, ``prove-it`` with ``answer``,
``connects-to``, ``key-points``; role: ``lesson``. A lesson's header comes from
its ``lesson`` front matter. See ARCHITECTURE.md for the map.
"""

from __future__ import annotations

from docutils import nodes as docutils_nodes
from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.plugin import register_plugin

from . import (
    assets,
    directives,
    downloadlinks,
    epub,
    gctuning,
    keypoints,
    latex,
    parts,
    refcache,
    references,
    search,
    templatecache,
    transforms,
    writers,
)
from . import nodes as tb
from .bibstyle import VancouverStyle
from .citedomain import IndexedBibtexDomain
from .domain import TextbookDomain

__version__ = "1.0.0"

#: The margin-note kinds a chapter may use, with the title each shows.
MARGIN_NOTE_KINDS = {
    "evidence-supports": "Where the evidence supports use",
    "ahead-of-evidence": "Where practice runs ahead of the evidence",
    "clinical-pearl": "Clinical pearl",
    "caution": "Caution",
}


def setup(app):
    # The cite domain below replaces sphinxcontrib-bibtex's, so that must load first.
    app.setup_extension("sphinxcontrib.bibtex")
    app.add_domain(IndexedBibtexDomain, override=True)

    app.add_config_value("textbook_stages", {}, "env", dict)
    app.add_config_value("textbook_gc_tuning", True, "", bool)
    app.add_config_value("textbook_concepts_per_stage", 5, "env", int)
    app.add_config_value("textbook_series", {}, "env", dict)
    app.add_config_value("textbook_margin_note_kinds", MARGIN_NOTE_KINDS, "env", dict)
    app.add_config_value("textbook_anchor_title", "The anchor", "env", str)
    app.add_config_value("textbook_prove_it_title", "Prove it", "env", str)
    app.add_config_value("textbook_answer_title", "Model answer", "env", str)
    app.add_config_value("textbook_connects_to_title", "This connects to", "env", str)
    app.add_config_value("textbook_downloads_dir", "downloads", "html", str)

    register_plugin("pybtex.style.formatting", "vancouver", VancouverStyle)
    # sphinxcontrib-bibtex asks pybtex for its plain-text backend by name for every
    # citation it resolves, and each ask scans every installed package's entry points
    # (a few ms each, 2,400 times in a 200-chapter book); registered, it is a dict lookup.
    register_plugin("pybtex.backends", "plaintext", PlainTextBackend, force=True)
    app.connect("env-before-read-docs", refcache.lend_memo)
    # After sphinxcontrib-bibtex's own env-updated handler (priority 500) formatted the lists.
    app.connect("env-updated", refcache.drop_unused, priority=900)

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

    app.add_node(docutils_nodes.citation, override=True,
                 html=(writers.visit_citation_html, writers.depart_citation_html))
    app.add_node(tb.reference_list, latex=(references.visit_reference_list_latex,
                                          references.depart_reference_list_latex))
    app.add_node(tb.reference_item, latex=(references.visit_reference_item_latex,
                                          references.depart_reference_item_latex))
    app.add_post_transform(references.KeepReferencesInChapter)
    app.add_node(tb.part_divider, latex=(parts.visit_part_divider_latex, None),
                 html=(parts.skip, None), text=(parts.skip, None))
    app.add_post_transform(parts.PartsFromToctreeCaptions)

    app.connect("html-page-context", assets.add_theme_digest)
    app.connect("config-inited", gctuning.collect_less_often)
    app.connect("env-before-read-docs", gctuning.freeze_before_forks, priority=900)
    app.connect("write-started", gctuning.freeze_before_forks, priority=900)
    app.connect("build-finished", gctuning.freeze_before_exit, priority=900)
    app.connect("builder-inited", assets.note_build_start)
    app.connect("build-finished", assets.subset_icon_fonts)
    app.add_search_language(search.SearchEnglishMemo)
    app.connect("builder-inited", templatecache.cache_compiled_templates)

    app.add_latex_package("textbook")
    app.connect("builder-inited", latex.copy_style_file)

    app.connect("doctree-resolved", downloadlinks.add_download_line)
    # After sphinx-book-theme has made its header buttons (priority 501).
    app.connect("html-page-context", downloadlinks.add_download_menu_items, priority=510)
    app.connect("build-finished", downloadlinks.write_manifest)

    app.add_html_theme(epub.THEME_NAME, str(epub.THEME_PATH))
    app.add_post_transform(epub.OpenAnswersInEpub)
    app.add_builder(epub.AccessibleEpub3Builder, override=True)
    app.connect("builder-inited", epub.use_epub_translator)

    return {"version": __version__, "env_version": 1,
            "parallel_read_safe": True, "parallel_write_safe": True}
