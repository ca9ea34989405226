"""The speed wing: build speed-ups, each a work-around for upstream behaviour.

Every module's docstring names the behaviour it works around and the library
versions it was measured against, so it can be deleted when upstream changes.
Nothing here changes what is built (tests/test_parallel.py and the whole-book tests).
"""

from __future__ import annotations


def setup_speed(app) -> None:
    from . import (
        entrypoints,
        gctuning,
        latextables,
        opengraphcards,
        plainlatex,
        pygmentscss,
        search,
        sidebarnav,
        sitemapqueue,
        templatecache,
        themestatic,
        themetemplates,
        toctreeparents,
    )

    opengraphcards.stand_in_for_social_cards()
    sidebarnav.defer_soupsieve()
    plainlatex.read_plain_text_directly()
    entrypoints.read_entry_points_once()
    latextables.share_table_renderer()

    app.add_config_value("textbook_gc_tuning", True, "", bool)
    app.connect("config-inited", gctuning.collect_less_often)
    app.connect("env-before-read-docs", gctuning.freeze_before_forks, priority=900)
    app.connect("write-started", gctuning.freeze_before_forks, priority=900)
    app.connect("build-finished", gctuning.freeze_before_exit, priority=900)
    app.add_search_language(search.SearchEnglishMemo)
    app.connect("builder-inited", search.load_stems)
    app.connect("build-finished", search.save_stems)
    app.connect("builder-inited", themestatic.compare_theme_files_by_stamp)
    app.connect("builder-inited", templatecache.cache_compiled_templates)
    app.connect("builder-inited", sitemapqueue.choose_queue, priority=100)  # before sphinx-sitemap's
    app.connect("build-finished", sitemapqueue.add_earlier_pages, priority=450)  # before it writes
    app.connect("builder-inited", themetemplates.render_never_empty_templates_once)
    app.connect("builder-inited", sidebarnav.load_rewrites)
    app.connect("builder-inited", sidebarnav.wrap_theme_functions)
    app.connect("build-finished", sidebarnav.drop_unused_rewrites)
    app.connect("builder-inited", pygmentscss.make_pygments_css_once)
    app.connect("env-purge-doc", toctreeparents.note_before_reading, priority=100)  # before the collectors clear it
    app.connect("write-started", toctreeparents.narrow_parents)
    app.connect("build-finished", toctreeparents.restore_parents, priority=100)
