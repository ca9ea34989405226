"""Keep what an HTML page loads small: icon fonts cut down to the icons the book shows.

The theme's stylesheet draws its icons (menu, search, dark-mode toggle, download, ...)
from three Font Awesome web fonts of about 240 KB together, holding some 2,000 icons.
The book shows about fifteen. After an HTML build this module lists the icon classes
the written pages and the theme's scripts use, looks up their code points in the
theme's stylesheet, and rewrites each font with only those glyphs (fontTools).

The cut fonts are cached in the doctree folder, keyed by the source font and the
code points, so a rebuild that changes neither copies a file instead of subsetting.
The icon classes found are kept there too: a rebuild reads only the pages it wrote
(an icon that left every page stays in the font until the next full build).
fontawesome.js, which would otherwise redraw every icon as SVG, is left out of the
page by ``_templates/static/webpack-macros.html``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from pathlib import Path

from sphinx.util import logging

from .downloadlinks import WEB_BUILDERS

logger = logging.getLogger(__name__)

ICON_FONTS = ("fa-solid-900.woff2", "fa-regular-400.woff2", "fa-brands-400.woff2")
FONT_DIR = Path("vendor/fontawesome/webfonts")  # under _static/ in the output, static/ in the theme
THEME_CSS = Path("styles/pydata-sphinx-theme.css")  # under _static/
#: `.fa-bars,.fa-navicon{--fa:"\f0c9"}`: the class names before the brace, the code point in it.
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+,?)+)\{--fa:"\\([0-9a-f]+)')
ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
CACHE_DIR = "icon-fonts"
USED_ICONS = "icons-used.json"

#: When each HTML build began, by output folder: pages written since then are re-read.
_build_started: dict[str, float] = {}


def note_build_start(app) -> None:
    _build_started[str(app.outdir)] = time.time()


def add_theme_digest(app, pagename, templatename, context, doctree) -> None:
    """Give the stylesheet and script links a version, so a theme update reaches readers."""
    import pydata_sphinx_theme

    context["textbook_theme_digest"] = pydata_sphinx_theme.__version__


def icon_code_points(css: str) -> dict[str, int]:
    """Map every icon class in the theme's stylesheet to its code point."""
    points: dict[str, int] = {}
    for classes, hexcode in ICON_RULE.findall(css):
        for name in classes.replace(",", " ").replace(".", " ").split():
            points[name] = int(hexcode, 16)
    return points


def used_icon_classes(outdir: Path, since: float = 0.0) -> set[str]:
    """Icon classes in the pages written since ``since``, and in the theme's scripts."""
    used: set[str] = set()
    for page in outdir.rglob("*.html"):
        if "_static" not in page.parts and page.stat().st_mtime >= since:
            used.update(ICON_CLASS.findall(page.read_text("utf-8", "replace")))
    for script in (outdir / "_static" / "scripts").glob("*.js"):
        if script.stat().st_mtime >= since:
            used.update(ICON_CLASS.findall(script.read_text("utf-8", "replace")))
    return used


def subset_font(source: Path, target: Path, code_points: set[int], cache: Path) -> None:
    """Write ``source`` cut down to ``code_points`` to ``target``, through the cache."""
    key = hashlib.sha256(source.read_bytes() + repr(sorted(code_points)).encode()).hexdigest()[:16]
    cached = cache / f"{source.stem}-{key}.woff2"
    if not cached.is_file():
        from fontTools import subset

        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=code_points)
        subsetter.subset(font)
        cache.mkdir(parents=True, exist_ok=True)
        subset.save_font(font, str(cached), options)
    if not target.is_file() or target.read_bytes() != cached.read_bytes():
        shutil.copyfile(cached, target)


def subset_icon_fonts(app, exception) -> None:
    """After an HTML build, cut the theme's icon fonts down to the icons in use."""
    if exception or app.builder.name not in WEB_BUILDERS:
        return
    outdir = Path(app.outdir)
    css = outdir / "_static" / THEME_CSS
    if not css.is_file():
        return  # not the book theme: nothing to cut
    cache = Path(app.doctreedir) / CACHE_DIR
    record = cache / USED_ICONS
    try:
        known = set(json.loads(record.read_text(encoding="utf-8")))
        since = _build_started.get(str(app.outdir), 0.0)
    except (OSError, ValueError):
        known, since = set(), 0.0  # first build here: read every page
    names = known | used_icon_classes(outdir, since)
    if names != known:
        cache.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps(sorted(names)), encoding="utf-8")
    points = icon_code_points(css.read_text("utf-8"))
    used = {points[name] for name in names if name in points}
    theme_fonts = _theme_font_dir()
    for name in ICON_FONTS:
        source = theme_fonts / name
        target = outdir / "_static" / FONT_DIR / name
        if source.is_file() and target.parent.is_dir():
            subset_font(source, target, used, cache)
    logger.info("icon fonts cut to %d icons", len(used))


def _theme_font_dir() -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static" / FONT_DIR
