"""The theme's navigation rewritten once per distinct table of contents, kept between builds.

Works around: pydata-sphinx-theme 0.20.0 (``generate_toctree_html``, which
sphinx-book-theme 1.4.0's ``sbt-sidebar-nav.html`` calls with ``startdepth=0`` and
``kind="sidebar"``) parses the table of contents Sphinx renders for the page with
BeautifulSoup and rewrites it (bootstrap classes, collapsible ``<details>``, the levels
open on load) on every page of every build. Measured with Sphinx 9.0.4 on the
10-chapter synthetic book: about 30 ms of an incremental build, most of it
soupsieve compiling the rewrite's CSS selectors in each new process.

For ``startdepth=0`` and ``kind="sidebar"`` the rewrite depends only on that HTML and
``show_nav_level`` (it names no page and draws no ids), so it is kept, keyed by a
digest of both and the theme's version, in memory and in the doctree folder. Sphinx's
table of contents is still rendered for every page; a page whose HTML was seen before
gets the stored rewrite, and any other goes through the theme's own function. Other
calls are passed through unchanged.

The page's own contents list (``generate_toc_html``, the "On this page" column and
the printed contents) is rewritten the same way, from the page's ``toc`` and the
theme's ``show_toc_level``. The theme returns a BeautifulSoup element, which the
templates print, test and measure (``page_toc | length``: its number of children);
the stored rewrite is returned as text that prints, tests and measures the same
(``ThemeMarkup``). With both stored, a rebuild that rewrites no navigation never
calls a CSS selector, and soupsieve (imported by BeautifulSoup 4.15 for selectors,
about 27 ms with soupsieve 2.10) is imported only when one is called (``defer_soupsieve``).
Pages are byte for byte the same. Delete when the theme caches its navigation itself.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import types
from pathlib import Path

from ..files import whole_file

CACHE_DIR = "sidebar-navigation"

#: digest -> rewrite, read from (or written to) ``<doctree folder>/sidebar-navigation/<digest>.json``
#: when a page first asks for it: a rebuild reads only what the pages it writes need (a
#: 200-chapter book keeps about 400 rewrites of 30 KB each). Files used by a build are
#: touched, so those left from earlier tables of contents can be dropped.
_stored: dict[str, object] = {}
_state: dict[str, object] = {"folder": None, "version": "", "changed": False, "started": 0.0}


def load_rewrites(app) -> None:
    """``builder-inited``: where this doctree folder keeps its rewrites."""
    import time

    _stored.clear()
    _state.update(folder=None, changed=False, started=time.time())
    if app.builder.format != "html" or "pydata_sphinx_theme" not in app.extensions:
        return
    import pydata_sphinx_theme

    _state.update(folder=Path(app.doctreedir) / CACHE_DIR, version=pydata_sphinx_theme.__version__)


def wrap_theme_functions(app) -> None:
    """``builder-inited``: the functions the theme adds to each page go through the store.

    Right after the theme's ``add_toctree_functions`` handler, not after all of them: the
    theme's next handlers already call them (to see which sidebar parts are empty).
    """
    module = sys.modules.get("pydata_sphinx_theme.toctree")
    if module is None or _state["folder"] is None:
        return
    theme_handler = module.add_toctree_functions

    def add_toctree_functions(app, pagename, templatename, context, doctree):
        result = theme_handler(app, pagename, templatename, context, doctree)
        keep_rewrites(app, pagename, templatename, context, doctree)
        return result

    listeners = app.events.listeners.get("html-page-context", [])
    for index, listener in enumerate(listeners):
        if listener.handler is theme_handler:
            listeners[index] = listener._replace(handler=add_toctree_functions)
            return


class ThemeMarkup(str):
    """A stored rewrite: prints as its HTML, and is true and as long as the theme's element was."""

    def __new__(cls, html: str, length: int, true: bool):
        markup = super().__new__(cls, html)
        markup.length, markup.true = length, true
        return markup

    def __len__(self) -> int:
        return self.length

    def __bool__(self) -> bool:
        return self.true


def _through_store(key: str, make):
    """The stored rewrite for ``key`` (the rewrite's input), or ``make()``'s, stored."""
    digest = hashlib.sha256(f"{_state['version']}\n{key}".encode()).hexdigest()
    if digest in _stored:
        return _stored[digest]
    folder = _state["folder"]
    path = folder / f"{digest}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        os.utime(path)  # used by this build
    except (OSError, ValueError):
        stored = make()
        if stored is None:
            return None
        _state["changed"] = True
        try:
            folder.mkdir(exist_ok=True)
            with whole_file(path) as partial:
                partial.write_text(json.dumps(stored), encoding="utf-8")
        except OSError:
            pass  # a read-only doctree folder: the theme rewrites it next time
    _stored[digest] = stored
    return stored


def keep_rewrites(app, pagename, templatename, context, doctree) -> None:
    """Right after the theme has added its navigation functions to a page: them, through the store."""
    toctree_html = context.get("generate_toctree_html")
    toc_html = context.get("generate_toc_html")
    if _state["folder"] is None or toctree_html is None or toc_html is None:
        return

    def generate_toctree_html(kind, startdepth=1, show_nav_level=1, **kwargs):
        if kind != "sidebar" or startdepth != 0:
            return toctree_html(kind, startdepth, show_nav_level, **kwargs)
        toctree = context["toctree"]  # looked up now: the 404 page's is sphinx-notfound-page's
        html = toctree(**kwargs)

        def rewrite():
            context["toctree"] = lambda **_: html  # the theme's function renders it no second time
            try:
                return str(toctree_html(kind, startdepth, show_nav_level, **kwargs))
            finally:
                context["toctree"] = toctree

        return _through_store(f"toctree\n{show_nav_level!r}\n{html}", rewrite)

    page_toc: dict[str, object] = {}

    def generate_toc_html(kind="html"):
        if kind in page_toc:
            return page_toc[kind]
        if "toc" not in context or kind != "html":
            page_toc[kind] = toc_html(kind)
            return page_toc[kind]

        def rewrite():
            element = toc_html(kind)
            if element == "":
                return ["", 0, False]
            if element is None or isinstance(element, str):
                return None  # not what the theme returns today: keep the theme's own result
            return [str(element), len(element), bool(element)]

        level = context.get("theme_show_toc_level")
        stored = _through_store(f"toc\n{kind}\n{level!r}\n{context['toc']}", rewrite)
        page_toc[kind] = toc_html(kind) if stored is None else ThemeMarkup(*stored)
        return page_toc[kind]

    context["generate_toctree_html"] = generate_toctree_html
    context["generate_toc_html"] = generate_toc_html


class DeferredModule(types.ModuleType):
    """Stands in ``sys.modules`` for a module not yet imported, and imports it when first used.

    (``importlib.util.LazyLoader`` does not serve here: in Python 3.11 a second ``import``
    statement reads the module's ``__spec__``, which makes the lazy module load.)
    """

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return getattr(_import_now(self), name)


def _import_now(stand_in: DeferredModule):
    name = stand_in.__name__
    if sys.modules.get(name) is stand_in:
        del sys.modules[name]
    try:
        module = importlib.import_module(name)
    except BaseException:
        sys.modules.setdefault(name, stand_in)
        raise
    stand_in.__dict__.update(module.__dict__)  # who imported the stand-in now holds the module's names
    return module


def defer_soupsieve() -> None:
    """Import soupsieve when a CSS selector is first used, not when BeautifulSoup is imported."""
    if "soupsieve" in sys.modules:
        return
    spec = importlib.util.find_spec("soupsieve")
    if spec is None:
        return
    stand_in = DeferredModule("soupsieve")
    stand_in.__spec__, stand_in.__file__ = spec, spec.origin
    stand_in.__path__ = list(spec.submodule_search_locations or [])
    sys.modules["soupsieve"] = stand_in


def drop_unused_rewrites(app, exception) -> None:
    """``build-finished``: when the store holds many more rewrites than the book has pages,
    drop those this build did not use (left by earlier tables of contents)."""
    folder = _state["folder"]
    if exception is not None or folder is None or not folder.is_dir():
        return
    files = list(folder.glob("*.json"))
    if len(files) <= 4 * max(len(app.env.found_docs), 1) + 16:
        return
    for path in files:
        try:
            if path.stat().st_mtime < _state["started"] - 1:
                path.unlink()
        except OSError:
            continue
