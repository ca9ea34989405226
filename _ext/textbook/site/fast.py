"""A fast first paint: no script is fetched or run before the page is drawn.

Sphinx and the themes add their scripts to the head (pydata-sphinx-theme 0.20 also
preloads its two bundles at high priority); even deferred, a script that is in by the
time the page is parsed runs before the first paint, and the theme's scripts then lay
the whole page out (Bootstrap's tooltips, the back-to-top button, the contents list's
observer). Each script the page loads is marked instead (``type`` set to
``AFTER_PAINT``, which a browser neither fetches nor runs); a small script at the end of
the body (``templates/layout.html``) adds them back, in the same order, once the first
contentful paint is reported (or at ``load``, where paint timing is missing); those
marked ``data-textbook-needs="search-words"`` only when there are search words to mark.
Every one
of them acts on DOMContentLoaded or at once when the document has already loaded, so
each still finds the page it expects. ``documentation_options.js`` stays as it is: the
inline scripts after it set fields on the object it defines, and it is 400 bytes.
Readers without JavaScript lose nothing they had: the marked scripts never ran for them.
A page without highlighted code does not load ``pygments.css`` (one stylesheet fewer to
wait for before the first paint; the book's chapters have no code).

A table wider than the screen scrolls inside its own box, which keyboard users reach with
Tab. pydata-sphinx-theme 0.20 wraps every table in ``.pst-scrollable-table-container``
and its script, once the page has loaded, gives each wrapper ``tabindex`` 0 or -1 by
measuring it: a read and a write per table, each read laying the page out again, and on a
phone, where the sections below the screen are not laid out yet (``content-visibility``
in ``_static/textbook.css``), each read lays out a whole section (about 60 ms a chapter
on this machine). The wrapper is written focusable instead (``TABLE_WRAPPER``), under a
class the script does not look for: it works without JavaScript, and a table that does
not scroll is one more stop for the Tab key.
"""

from __future__ import annotations

from pathlib import Path

from ..publish.downloadlinks import WEB_BUILDERS

TEMPLATES = Path(__file__).parent / "templates"
#: The ``type`` of a script that runs after the first paint (not a script type any browser runs).
AFTER_PAINT = "textbook/after-first-paint"
#: Needed by inline scripts that run while the page is parsed.
KEEP_BLOCKING = ("documentation_options.js",)
#: Scripts only a reader who comes from the search page needs: ``sphinx_highlight.js``
#: marks the search words (passed in the address or in localStorage) and ``doctools.js``
#: gives it its translations; doctools' own "/" shortcut focuses the first search box, which
#: in pydata-sphinx-theme 0.20 is in its closed search dialog, so it does nothing there.
ONLY_WITH_SEARCH_WORDS = ("doctools.js", "sphinx_highlight.js")
#: pydata-sphinx-theme 0.20's table wrapper (its translator's ``visit_table``), and ours.
THEME_TABLE_WRAPPER = '<div class="pst-scrollable-table-container">'
TABLE_WRAPPER = '<div class="textbook-table-scroll" tabindex="0">'


def add_templates(app, config) -> None:
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.append(str(TEMPLATES))


def focusable_tables(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.name in WEB_BUILDERS and THEME_TABLE_WRAPPER in context.get("body", ""):
        context["body"] = context["body"].replace(THEME_TABLE_WRAPPER, TABLE_WRAPPER)


def code_styles_where_code_is(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``pygments.css`` only on a page with highlighted code: it blocks the first paint."""
    if (app.builder.name not in WEB_BUILDERS or "css_files" not in context
            or 'class="highlight' in context.get("body", "")):
        return
    context["css_files"] = [sheet for sheet in context["css_files"]
                            if Path(str(getattr(sheet, "filename", sheet) or "")).name != "pygments.css"]


def scripts_after_paint(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.name not in WEB_BUILDERS:
        return
    context["textbook_after_paint"] = AFTER_PAINT
    if pagename == "search" or "script_files" not in context:
        # Its template loads searchtools.js as it is, and that needs doctools.js first.
        return
    from sphinx.builders.html._assets import _JavaScript

    scripts = []
    for script in context["script_files"]:
        filename = str(getattr(script, "filename", script) or "")
        attributes = dict(getattr(script, "attributes", {}))
        if (filename and not filename.endswith(KEEP_BLOCKING) and "body" not in attributes
                and "async" not in attributes and "type" not in attributes):
            attributes.pop("defer", None)
            if filename.endswith(ONLY_WITH_SEARCH_WORDS):
                attributes["data-textbook-needs"] = "search-words"
            script = _JavaScript(filename, priority=script.priority, **attributes, type=AFTER_PAINT)
        scripts.append(script)
    context["script_files"] = scripts
