"""The book on the web: found by search engines, shared as a card, cited by chapter.

- ``meta``: checks ``html_baseurl`` (the published site's address); gives every page a
  meta description (a chapter's from its anchor, else its subtitle) and the link-card
  fields that sphinxext-opengraph writes; ``robots.txt`` beside sphinx-sitemap's
  ``sitemap.xml``; the 404 page's links made absolute from any depth (sphinx-notfound-page);
- ``cards``: the link-card images (one per chapter, one for the rest of the book) and the
  touch icon, drawn with Pillow in the book's palette, cached in the doctree folder;
- ``fast``: no script is fetched or run before the first paint; wide tables focusable
  without the theme's script;
- ``purgecss``: the theme's CSS rules that no page can match are dropped after the build;
- ``cite``: the "Cite this chapter" box (APA-like text and BibTeX, with the release and the
  page's canonical address) at the end of each chapter's web page.

sphinxext-opengraph, sphinx-sitemap and sphinx-notfound-page are listed in ``conf.py``;
this package works with or without them (the tiny test projects load none).
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).parent / "static"


def setup_site(app) -> None:
    # Imported here, like every wing's parts: importing the package loads no Sphinx.
    from . import cards, cite, fast, meta, purgecss

    app.add_config_value("textbook_card_font", "", "html", str)
    app.add_config_value("textbook_card_image", "", "html", str)
    app.connect("config-inited", meta.check_base_url, priority=300)
    app.connect("config-inited", meta.settings_from_base_url, priority=310)
    app.connect("builder-inited", cards.check_card_settings)
    # Before sphinxext-opengraph (500) reads the page's fields and meta tags.
    app.connect("html-page-context", meta.add_page_meta, priority=450)
    app.connect("doctree-resolved", cite.add_citation)
    app.connect("build-finished", meta.write_robots_txt)
    app.connect("build-finished", cards.write_touch_icon)
    # Drawn beside purgecss (600) and the safety scan (950), copied after them.
    app.connect("build-finished", cards.draw_deferred_cards, priority=550)
    app.connect("build-finished", cards.copy_deferred_cards, priority=960)
    app.connect("config-inited", fast.add_templates)
    # Late, after the themes and extensions have added their scripts.
    app.connect("html-page-context", fast.scripts_after_paint, priority=900)
    app.connect("html-page-context", fast.focusable_tables)
    app.connect("html-page-context", fast.code_styles_where_code_is, priority=900)
    # After textbook.assets has read the icons' code points from the full stylesheet (500).
    app.connect("build-finished", purgecss.purge_theme_css, priority=600)
