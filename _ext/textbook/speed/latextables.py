"""LaTeX table templates compiled once per build, not once per table.

Works around: Sphinx 9.0.4's LaTeX writer (``LaTeXTranslator.render``) makes a new
``LaTeXRenderer``, that is a new Jinja environment, for every table it writes, so
Jinja compiles the table template (``longtable.tex.jinja`` and the templates it
includes) again each time. Measured on the 10-chapter synthetic book (20 tables):
about 0.2 s of the LaTeX build, a quarter of the writer's time. One renderer per
LaTeX engine is kept for the process instead; Jinja still reloads a template whose
file changed, and the ``.tex`` is the same. Delete when Sphinx keeps its renderer.
"""

from __future__ import annotations

_renderers: dict = {}
_original = None


def _shared_renderer(template_path=None, latex_engine=None):
    key = (tuple(map(str, template_path)) if template_path else None, latex_engine)
    renderer = _renderers.get(key)
    if renderer is None:
        renderer = _renderers[key] = _original(template_path, latex_engine=latex_engine)
    return renderer


def share_table_renderer() -> None:
    global _original
    from sphinx.writers import latex

    if _original is None:
        _original = latex.LaTeXRenderer
        latex.LaTeXRenderer = _shared_renderer
