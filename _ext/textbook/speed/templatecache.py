"""Compiled theme templates kept between HTML builds.

Jinja compiles every template the theme uses (dozens, for sphinx-book-theme)
on every build, even when only one page is written; with a bytecode cache in
the doctree directory, a rebuild loads them instead. Jinja checks each
template's source checksum, so an edited template is compiled afresh.

Works around: Sphinx's template bridge creating its Jinja environment with no
bytecode cache, measured with Sphinx 9.0.4, Jinja2 3.1.6 and sphinx-book-theme 1.4.0.
Delete when Sphinx configures a bytecode cache itself.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache


def cache_compiled_templates(app) -> None:
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None or environment.bytecode_cache is not None:
        return
    directory = Path(app.doctreedir) / "jinja2-bytecode"
    directory.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(directory))
