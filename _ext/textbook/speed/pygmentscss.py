"""The theme's light-and-dark ``pygments.css`` made once per choice of styles, not on every build.

Works around: pydata-sphinx-theme 0.20.0 (``overwrite_pygments_css``, at
``build-finished``) lists every installed Pygments style and renders the light and the
dark style sheet on every HTML build, a no-op included, to replace the
``pygments.css`` Sphinx has just written. Measured with Sphinx 9.0.4 and Pygments
2.21.0: 13 to 19 ms of every build of the 10-chapter synthetic book.

The theme's result depends only on its ``pygments_*`` options and the installed
Pygments and theme, so it is kept in the doctree folder under a digest of them and
copied over Sphinx's file on later builds. A run of the theme's function that logged
anything (its notice or warning that a style is not installed) is not kept, so the
message is given again.
Delete when the theme writes the file only when it changes.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from pathlib import Path

from ..files import whole_file

CACHE_DIR = "pygments-css"
_original = None


class _Logged(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seen = False

    def emit(self, record) -> None:
        self.seen = True


def _digest(app) -> str:
    import pygments

    theme = sys.modules["pydata_sphinx_theme"]
    options = theme.utils.get_theme_options_dict(app)
    chosen = sorted((key, repr(value)) for key, value in options.items() if key.startswith("pygments"))
    return hashlib.sha256(repr((chosen, pygments.__version__, theme.__version__)).encode()).hexdigest()[:16]


def overwrite_pygments_css(app, exception=None):
    target = Path(app.outdir) / "_static" / "pygments.css"
    if exception is not None or not target.parent.is_dir():
        return _original(app, exception)
    cached = Path(app.doctreedir) / CACHE_DIR / f"{_digest(app)}.css"
    if cached.is_file():
        target.write_bytes(cached.read_bytes())
        return None
    warned = _Logged()
    theme_logger = logging.getLogger("sphinx.pydata_sphinx_theme")
    theme_logger.addHandler(warned)
    try:
        result = _original(app, exception)
    finally:
        theme_logger.removeHandler(warned)
    if not warned.seen and target.is_file():
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            with whole_file(cached) as partial:
                partial.write_bytes(target.read_bytes())
        except OSError:
            pass  # a read-only doctree folder: the theme makes the file again next time
    return result


def make_pygments_css_once(app) -> None:
    """``builder-inited``: put the function above in place of the theme's ``build-finished`` handler."""
    global _original
    module = sys.modules.get("pydata_sphinx_theme.pygments")
    if module is None or app.builder.format != "html":
        return
    for listener in app.events.listeners.get("build-finished", []):
        if listener.handler is module.overwrite_pygments_css:
            _original = module.overwrite_pygments_css
            app.events.listeners["build-finished"] = [
                item._replace(handler=overwrite_pygments_css) if item is listener else item
                for item in app.events.listeners["build-finished"]]
            return
