"""The theme's sidebar and header buttons rendered once per page, not twice.

Works around: pydata-sphinx-theme 0.20.0 (``update_and_remove_templates``, at
``html-page-context``) renders every template of every page section once to find
and drop those that come out empty, and the page then renders them again. It
skips that check only for its own navigation templates, not for the ones
sphinx-book-theme 1.4.0 puts in their place: ``sbt-sidebar-nav.html`` (the whole
book's navigation, built through BeautifulSoup) and ``article-header-buttons.html``.
Measured with Sphinx 9.0.4 on the 10-chapter synthetic book: 0.19 s of a full HTML
build, 12 ms a page. Both templates open with their wrapper element outside any
condition, so they are never empty; they are added to the theme's own skip list,
after checking that their source still starts with markup (a theme update that
makes one conditional falls back to the check). The pages are byte for byte the
same. Delete when sphinx-book-theme's templates are in pydata-sphinx-theme's list.
"""

from __future__ import annotations

import re
import sys

NEVER_EMPTY = ("sbt-sidebar-nav.html", "article-header-buttons.html")
#: Jinja that renders nothing: comments, imports, whitespace.
_SILENT = re.compile(r"\s+|\{#.*?#\}|\{%-?\s*(?:from|import)\b.*?%\}", re.S)

_original = None
_checked: dict[str, bool] = {}


def _opens_with_markup(app, name: str) -> bool:
    """Whether the template's source starts with an element, whatever its variables."""
    if name not in _checked:
        try:
            environment = app.builder.templates.environment
            source = environment.loader.get_source(environment, name)[0]
        except Exception:  # noqa: BLE001 not found or not a Jinja loader: keep the theme's check
            source = ""
        position = 0
        while match := _SILENT.match(source, position):
            position = match.end()
        _checked[name] = source[position:position + 1] == "<"
    return _checked[name]


def update_and_remove_templates(app, context, templates, section, templates_skip_empty_check=None):
    skip = list(templates_skip_empty_check or [])
    names = templates.split(",") if isinstance(templates, str) else templates
    for name in names:
        name = name.strip()
        name = name if name.endswith(".html") else f"{name}.html"
        if name.endswith(NEVER_EMPTY) and _opens_with_markup(app, name):
            skip.append(name)
    return _original(app, context, templates, section, skip)


def render_never_empty_templates_once(app) -> None:
    """``builder-inited``: the theme, if it is pydata's, was loaded with the builder."""
    global _original
    utils = sys.modules.get("pydata_sphinx_theme.utils")
    if utils is None:
        return
    if _original is None:
        _original = utils._update_and_remove_templates
        utils._update_and_remove_templates = update_and_remove_templates
