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

Cutting is about 0.4 s of CPU (fontTools' subsetter takes 0.23 s to import, with
fontTools 4.68.0), needed when the doctree folder is new (a full build). Such a build
forks a helper process when the builder starts: it imports fontTools while the book is
read and written, waits for the code points, cuts the fonts into the cache while the
build's other last steps run, and exits; the build then copies the cut fonts as on any
rebuild. On two cores that takes the cutting off the build's own time. If the helper
fails, the build cuts the fonts itself (same files).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from sphinx.util import logging

from ..files import kept_while, stamps, whole_file
from .downloadlinks import WEB_BUILDERS
from .written import output_files, started

logger = logging.getLogger(__name__)

ICON_FONTS = ("fa-solid-900.woff2", "fa-regular-400.woff2", "fa-brands-400.woff2")
FONT_DIR = Path("vendor/fontawesome/webfonts")  # under _static/ in the output, static/ in the theme
THEME_CSS = Path("styles/pydata-sphinx-theme.css")  # under _static/
#: `.fa-bars,.fa-navicon{--fa:"\f0c9"}`: the class names before the brace, the code point in it.
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+,?)+)\{--fa:"\\([0-9a-f]+)')
ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
CACHE_DIR = "icon-fonts"
USED_ICONS = "icons-used.json"
CODE_POINTS = "code-points.json"

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


def theme_code_points(css: Path, cache: Path) -> dict[str, int]:
    """``icon_code_points`` of the stylesheet, kept in ``cache`` while the file's size and time hold.

    The theme's copy of its stylesheet keeps the theme file's time, so the code points
    are read once per theme version; reading them was about 20 ms of every build.
    """
    return kept_while(cache / CODE_POINTS, stamps(css), lambda: icon_code_points(css.read_text("utf-8")))


def used_icon_classes(outdir: Path, since: float = 0.0) -> set[str]:
    """Icon classes in the pages written since ``since``, and in the theme's scripts."""
    used: set[str] = set()
    scripts = outdir / "_static" / "scripts"
    for path, mtime in output_files(outdir):
        if mtime < since:
            continue
        if (path.suffix == ".html" and "_static" not in path.relative_to(outdir).parts) or (
                path.suffix == ".js" and path.parent == scripts):
            used.update(ICON_CLASS.findall(path.read_text("utf-8", "replace")))
    return used


def subset_font(source: Path, target: Path, code_points: set[int], cache: Path) -> None:
    """Write ``source`` cut down to ``code_points`` to ``target``, through the cache."""
    cached = cut_into_cache(source, code_points, cache)
    if not target.is_file() or target.read_bytes() != cached.read_bytes():
        shutil.copyfile(cached, target)


def cut_into_cache(source: Path, code_points: set[int], cache: Path) -> Path:
    """The cached copy of ``source`` cut down to ``code_points``, made if missing."""
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
        with whole_file(cached) as partial:
            subset.save_font(font, str(partial), options)
    return cached


#: outdir -> (helper's process id, the pipe's writing end), while a helper waits.
_helpers: dict[str, tuple[int, int]] = {}


def start_font_helper(app) -> None:
    """``builder-inited``: in a build with a new doctree folder, a helper process to cut the fonts."""
    from ..speed.gctuning import may_fork_helper

    if app.builder.name not in WEB_BUILDERS or not may_fork_helper():
        return
    theme_dirs = getattr(getattr(app.builder, "theme", None), "get_theme_dirs", lambda: [])()
    if not any("pydata_sphinx_theme" in str(folder) for folder in theme_dirs):
        return
    cache = Path(app.doctreedir) / CACHE_DIR
    if (cache / USED_ICONS).is_file() or not _theme_font_dir().is_dir():
        return  # a rebuild: the cut fonts are most likely cached already
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the helper
        status = 1
        try:
            os.close(write_end)
            from fontTools import subset  # noqa: F401  the slow import, while the book builds

            order = _read_order(read_end, parent)
            if order:
                points = set(json.loads(order))
                for name in ICON_FONTS:
                    if (_theme_font_dir() / name).is_file():
                        cut_into_cache(_theme_font_dir() / name, points, cache)
            status = 0
        finally:
            os._exit(status)
    os.close(read_end)
    _helpers[str(app.outdir)] = (pid, write_end)


def _read_order(read_end: int, parent: int) -> bytes:
    """The helper's one line from the build, or nothing if the build went away.

    Not "until end of file": processes the build forks later (sphinx-sitemap's manager
    with ``-j``, Sphinx's workers) inherit the pipe and may keep it open.
    """
    import select

    received = b""
    while not received.endswith(b"\n"):
        ready, _, _ = select.select([read_end], [], [], 1.0)
        if not ready:
            if os.getppid() != parent:
                return b""
            continue
        chunk = os.read(read_end, 65536)
        if not chunk:
            return b""
        received += chunk
    return received.strip()


def _hand_over(outdir, code_points: set[int] | None) -> bool:
    """Give the helper its code points (None: nothing to do); whether there was a helper."""
    helper = _helpers.get(str(outdir))
    if helper is None or helper[1] < 0:
        return False
    try:
        order = json.dumps(sorted(code_points)) if code_points is not None else ""
        os.write(helper[1], order.encode() + b"\n")  # one line: "" is nothing to do
    except OSError:
        pass
    finally:
        os.close(helper[1])
        _helpers[str(outdir)] = (helper[0], -1)
    return code_points is not None


def _wait_for_helper(outdir) -> None:
    helper = _helpers.pop(str(outdir), None)
    if helper is not None:
        if helper[1] >= 0:
            _helpers[str(outdir)] = helper
            _hand_over(outdir, None)
            _helpers.pop(str(outdir), None)
        os.waitpid(helper[0], 0)  # a failed helper leaves no file: the fonts are cut here


#: outdir -> (code points, cache folder) to copy once the helper is done.
_pending: dict[str, tuple[set[int], Path]] = {}


def subset_icon_fonts(app, exception) -> None:
    """After an HTML build, cut the theme's icon fonts down to the icons in use."""
    if exception or app.builder.name not in WEB_BUILDERS:
        _hand_over(app.outdir, None)
        return
    outdir = Path(app.outdir)
    css = outdir / "_static" / THEME_CSS
    if not css.is_file():
        _hand_over(app.outdir, None)
        return  # not the book theme: nothing to cut
    cache = Path(app.doctreedir) / CACHE_DIR
    record = cache / USED_ICONS
    try:
        known = set(json.loads(record.read_text(encoding="utf-8")))
        since = started(app.outdir)
    except (OSError, ValueError):
        known, since = set(), 0.0  # first build here: read every page
    names = known | used_icon_classes(outdir, since)
    if names != known:
        cache.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps(sorted(names)), encoding="utf-8")
    points = theme_code_points(css, cache)
    used = {points[name] for name in names if name in points}
    _pending[str(outdir)] = (used, cache)
    if not _hand_over(outdir, used):
        copy_icon_fonts(app, exception)  # no helper: cut and copy now


def copy_icon_fonts(app, exception) -> None:
    """The cut fonts into the output (``build-finished``, after the steps that ran beside the helper)."""
    _wait_for_helper(app.outdir)
    pending = _pending.pop(str(app.outdir), None)
    if exception or pending is None:
        return
    used, cache = pending
    theme_fonts = _theme_font_dir()
    for name in ICON_FONTS:
        source = theme_fonts / name
        target = Path(app.outdir) / "_static" / FONT_DIR / name
        if source.is_file() and target.parent.is_dir():
            subset_font(source, target, used, cache)
    logger.info("icon fonts cut to %d icons", len(used))


def _theme_font_dir() -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static" / FONT_DIR
