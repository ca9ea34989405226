"""The publish wing: what turns the doctrees into the book readers download and open.

The PDF's parts (``parts``) and style file (``latex``, ``latex/textbook.sty``), the
EPUB theme (``epub``, ``themes/textbook_epub``), the download links and manifest
(``downloadlinks``) and the program that cuts the chapter PDFs (``downloads``), and
the web assets (``assets``: icon fonts cut to the icons in use).
"""

from __future__ import annotations


def setup_publish(app) -> None:
    from . import assets, downloadlinks, epub, latex, parts, written

    app.add_config_value("textbook_downloads_dir", "downloads", "html", str)

    app.add_node(parts.part_divider, latex=(parts.visit_part_divider_latex, None),
                 html=(parts.skip, None), text=(parts.skip, None))
    app.add_post_transform(parts.PartsFromToctreeCaptions)

    app.add_latex_package("textbook")
    app.connect("builder-inited", latex.copy_style_file)

    app.connect("html-page-context", assets.add_theme_digest)
    app.connect("builder-inited", written.note_start)
    app.connect("builder-inited", assets.start_font_helper)
    app.connect("build-finished", assets.subset_icon_fonts)
    # After the steps that run while the helper process cuts the fonts (purgecss: 600).
    app.connect("build-finished", assets.copy_icon_fonts, priority=700)

    app.connect("doctree-resolved", downloadlinks.add_download_line)
    # After sphinx-book-theme has made its header buttons (priority 501).
    app.connect("html-page-context", downloadlinks.add_download_menu_items, priority=510)
    app.connect("build-finished", downloadlinks.write_manifest)

    app.add_html_theme(epub.THEME_NAME, str(epub.THEME_PATH))
    app.add_post_transform(epub.OpenAnswersInEpub)
    app.add_builder(epub.AccessibleEpub3Builder, override=True)
    app.connect("builder-inited", epub.use_epub_translator)
