"""The theme's static files: unchanged copies left alone, templates compiled once, on every build.

Works around: Sphinx 9.0.4 copies the HTML theme's static folders on every build, a
no-op included (``copy_theme_static_files``, through ``copy_asset`` with ``force=True``):

- ``copyfile`` decides whether a file changed by reading the source and the copy in
  full (``filecmp.cmp(shallow=False)``); pydata-sphinx-theme 0.20.0 with
  sphinx-book-theme 1.4.0 ship 127 files (fonts, script bundles, stylesheets), about
  4 MB read to copy nothing;
- each of the basic theme's three templates (``*.jinja``, ``*_t``) is compiled by Jinja
  from its text again (``render_string``) and written again;
- every file costs several path objects, directory checks and pattern matches.

Measured on the 10-chapter synthetic book: about 50 ms of every build. This module
walks the same folders in the same order with the same exclusions and does the same
thing with each file, more cheaply: ``copyfile`` gives each copy its source's
modification time, so a copy with the source's size and time (to the nanosecond) is
left alone, and any other goes through Sphinx's own ``copyfile``; a template is compiled
through the theme's Jinja bytecode cache (``templatecache.py``), rendered with the
same context, and written when its text changed. The files the build rewrites afterwards
(``publish/assets.py``, ``site/purgecss.py``) differ in size and time and are copied as
before. Only the theme's folders: ``html_static_path`` is untouched. The output is the
same, byte for byte. Delete when Sphinx compares copies by size and time first.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from sphinx.locale import __
from sphinx.util import logging

logger = logging.getLogger(__name__)

TEMPLATE_ENDINGS = ("_t", ".jinja")


def _render(renderer, text: str, name: str, context) -> str:
    """``renderer.render_string(text, context)``, compiled through the bytecode cache if there is one."""
    environment = getattr(renderer, "environment", None)
    cache = getattr(environment, "bytecode_cache", None)
    if cache is None:
        return renderer.render_string(text, context)
    bucket = cache.get_bucket(environment, f"textbook-theme-static:{name}", None, text)
    if bucket.code is None:
        bucket.code = environment.compile(text)
        cache.set_bucket(bucket)
    template = environment.template_class.from_code(environment, bucket.code, environment.make_globals(None))
    return template.render(context)


def _copy_file(source: str, destination: str, context, renderer, copyfile) -> None:
    lowered = os.path.basename(source).lower()
    ending = next((end for end in TEMPLATE_ENDINGS if lowered.endswith(end)), None)
    if ending is not None:
        text = Path(source).read_text(encoding="utf-8")
        rendered = _render(renderer, text, source, context)
        target = Path(destination[:-len(ending)])
        logger.info(__("Writing evaluated template result to %s"), os.fsdecode(target),
                    type="misc", subtype="template_evaluation")
        try:
            unchanged = target.read_text(encoding="utf-8") == rendered
        except (OSError, UnicodeDecodeError):
            unchanged = False
        if not unchanged:
            target.write_text(rendered, encoding="utf-8")
        return
    try:
        before, after = os.stat(source), os.stat(destination)
    except OSError:
        return copyfile(source, destination, force=True)
    if before.st_size != after.st_size or before.st_mtime_ns != after.st_mtime_ns:
        copyfile(source, destination, force=True)


def copy_theme_static_files(self, context) -> None:
    """As ``StandaloneHTMLBuilder.copy_theme_static_files`` (Sphinx 9.0.4), unchanged copies skipped."""
    from sphinx.util.matching import DOTFILES
    from sphinx.util.osutil import copyfile

    if not self.theme:
        return
    destination = str(self._static_dir)
    for entry in reversed(self.theme.get_theme_dirs()):
        source = os.path.join(entry, "static")
        if not os.path.exists(source):
            continue
        os.makedirs(destination, exist_ok=True)
        if os.path.isfile(source):  # as copy_asset: a file, not a folder, named "static"
            _copy_with_warning(source, os.path.join(destination, "static"), context, self.templates, copyfile)
            continue
        for root, dirs, files in os.walk(source, followlinks=True):
            reldir = Path(os.path.relpath(root, source)).as_posix()
            for folder in dirs.copy():
                if DOTFILES(posixpath.join(reldir, folder)):
                    dirs.remove(folder)
                else:
                    os.makedirs(os.path.join(destination, reldir, folder), exist_ok=True)
            for name in files:
                if not DOTFILES(posixpath.join(reldir, name)):
                    _copy_with_warning(os.path.join(root, name), os.path.join(destination, reldir, name),
                                       context, self.templates, copyfile)


def _copy_with_warning(source, destination, context, renderer, copyfile) -> None:
    try:
        _copy_file(source, os.path.normpath(destination), context, renderer, copyfile)
    except Exception as error:  # noqa: BLE001 as Sphinx's onerror: a warning names the file
        logger.warning(__("Failed to copy a file in the theme's 'static' directory: %s: %r"), source, error)


#: Sphinx's own method, kept for the tests that compare the two.
sphinx_method = None


def compare_theme_files_by_stamp(app) -> None:
    """``builder-inited``: HTML builders copy the theme's static files as above."""
    global sphinx_method
    from sphinx.builders.html import StandaloneHTMLBuilder

    method = getattr(StandaloneHTMLBuilder, "copy_theme_static_files", None)
    if method is not None and method is not copy_theme_static_files:
        sphinx_method = method
        StandaloneHTMLBuilder.copy_theme_static_files = copy_theme_static_files
