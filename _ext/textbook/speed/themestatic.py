"""The theme's static files compared by size and time, not read twice, on every build.

Works around: Sphinx 9.0.4 copies the HTML theme's static folder on every build
(``copy_theme_static_files``, ``force=True``), and ``copyfile`` decides whether a file
changed by reading the source and the copy in full (``filecmp.cmp(shallow=False)``).
pydata-sphinx-theme 0.20.0 with sphinx-book-theme 1.4.0 ship 127 files (fonts, script
bundles, stylesheets), so every build, a no-op included, read about 4 MB to copy
nothing: about 70 ms of CPU on the 10-chapter synthetic book. ``copyfile`` gives each
copy its source's modification time, so a copy with the source's size and time (to
the nanosecond) is left alone here; any other goes through Sphinx's own comparison
and copy (the files the build rewrites afterwards, ``publish/assets.py`` and
``site/purgecss.py``, differ in both and are copied as before). Only the theme's
files: ``html_static_path`` and templates (``_t``) are untouched. Delete when Sphinx
compares copies by size and time first.
"""

from __future__ import annotations

import os

_original_method = None


def _copy_unless_same_stamp(copy):
    def copyfile(source, dest, *, force: bool = False) -> None:
        try:
            before, after = os.stat(source), os.stat(dest)
        except OSError:
            return copy(source, dest, force=force)
        if before.st_size == after.st_size and before.st_mtime_ns == after.st_mtime_ns:
            return None
        return copy(source, dest, force=force)

    return copyfile


def copy_theme_static_files(self, context) -> None:
    from sphinx.util import fileutil

    copy = fileutil.copyfile
    fileutil.copyfile = _copy_unless_same_stamp(copy)
    try:
        _original_method(self, context)
    finally:
        fileutil.copyfile = copy


def compare_theme_files_by_stamp(app) -> None:
    """``builder-inited``: HTML builders copy the theme's static files through the check above."""
    global _original_method
    from sphinx.builders.html import StandaloneHTMLBuilder

    if _original_method is None and hasattr(StandaloneHTMLBuilder, "copy_theme_static_files"):
        _original_method = StandaloneHTMLBuilder.copy_theme_static_files
        StandaloneHTMLBuilder.copy_theme_static_files = copy_theme_static_files
