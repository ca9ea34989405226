"""Link-card images and the touch icon, drawn with Pillow in the book's palette.

A shared link shows a card: the chapter's id and title on the book's cream, a violet
band, the book's name and release. Each image is drawn once and kept in the doctree
folder under a key made of everything drawn on it, so a rebuild copies files instead of
drawing (about 35 ms a card). Pillow is imported only when a card must be drawn. A page
needs only its card's name, so in a serial build the new cards are drawn at the end, in a
process forked for them while the build's last steps (purgecss, the safety scan) run, and
copied into the output once it is done (a card it failed to draw is drawn then).
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from pathlib import Path

from sphinx.errors import ConfigError
from sphinx.util import logging

from ..files import whole_file
from ..speed.gctuning import may_fork_helper

logger = logging.getLogger(__name__)

#: The size social sites show without cropping (1.91:1).
CARD_SIZE = (1200, 630)
CARD_DIR = "_static/cards"
TOUCH_ICON = "_static/apple-touch-icon.png"
CACHE_DIR = "link-cards"
#: Bump when the drawing changes, so cached cards are drawn again.
DRAWING_VERSION = "2"
CARD_COMPRESS_LEVEL = 6

PALETTE = {"cream": "#fbf6ea", "violet": "#4b2a7b", "violet_soft": "#6b4a9e",
           "ink": "#2a2433", "slate": "#34495e", "rule": "#d9d0be"}
#: Debian's fonts the set-up installs (fonts-texgyre, fonts-dejavu-core), bold then regular.
FONT_CANDIDATES = (
    ("/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyreheros-bold.otf",
     "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyreheros-regular.otf"),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)


def _fonts(config, confdir) -> tuple[str, str]:
    if config.textbook_card_font:
        path = Path(confdir, config.textbook_card_font)
        return str(path), str(path)
    for bold, regular in FONT_CANDIDATES:
        if Path(bold).is_file() and Path(regular).is_file():
            return bold, regular
    raise ConfigError("textbook_card_font: no font to draw the link-card images with; "
                      "install Debian's fonts-texgyre or fonts-dejavu-core, or set "
                      "textbook_card_font to a .ttf or .otf file")


def check_card_settings(app) -> None:
    """A named card image or font that is not there stops the build, naming the setting."""
    config = app.config
    if app.builder.name not in ("html", "dirhtml") or not config.html_baseurl:
        return
    if config.textbook_card_image and not Path(app.confdir, config.textbook_card_image).is_file():
        raise ConfigError(f"textbook_card_image: no such file {config.textbook_card_image!r} "
                          "(the link-card image for pages other than chapters)")
    if config.textbook_card_font and not Path(app.confdir, config.textbook_card_font).is_file():
        raise ConfigError(f"textbook_card_font: no such file {config.textbook_card_font!r}")
    _fonts(config, app.confdir)


def card_alt(app, title: str) -> str:
    return f"{_plain(title)}: {app.config.project}, release {app.config.release}"


def _plain(title: str) -> str:
    import re
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", title or "")).strip()


def card_for_page(app, pagename: str, title: str, chapter: bool) -> str:
    """The card's path inside the output, drawn (or copied from the cache) if needed."""
    config = app.config
    if not chapter:
        if config.textbook_card_image:
            name = f"{CARD_DIR}/book{Path(config.textbook_card_image).suffix}"
            _copy_if_changed(Path(app.confdir, config.textbook_card_image), Path(app.outdir, name))
            return name
        pagename, title = "book", ""
    lines = _card_text(app, pagename, title)
    bold, regular = _fonts(config, app.confdir)
    key = hashlib.sha256(repr((DRAWING_VERSION, lines, bold, regular)).encode()).hexdigest()[:16]
    cached = Path(app.doctreedir) / CACHE_DIR / f"{key}.png"
    name = f"{CARD_DIR}/{pagename.replace('/', '-')}.png"
    target = Path(app.outdir, name)
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        if getattr(app.builder, "parallel_ok", False) or not may_fork_helper():
            # Pages written in other processes, or no helper process here: draw now.
            _draw_card(cached, lines, bold, regular)
        else:
            # The page needs only the card's name: it is drawn when the pages are written.
            _deferred.setdefault(str(app.outdir), {})[target] = (cached, lines, bold, regular)
            return name
    _copy_if_changed(cached, target)
    return name


#: outdir -> {card in the output: (cached file, lines, bold font, regular font)} to draw.
_deferred: dict[str, dict[Path, tuple]] = {}
#: outdir -> the process drawing them.
_drawing: dict[str, int] = {}


def draw_deferred_cards(app, exception) -> None:
    """``build-finished``: draw the new cards in a forked process while the build's last steps run."""
    cards = _deferred.get(str(app.outdir))
    if exception or not cards:
        return
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            for cached, lines, bold, regular in cards.values():
                if not cached.is_file():
                    _draw_card(cached, lines, bold, regular)
            status = 0
        finally:
            os._exit(status)
    _drawing[str(app.outdir)] = pid


def copy_deferred_cards(app, exception) -> None:
    """``build-finished``, late: wait for the drawing, draw what it could not, copy into the output."""
    pid = _drawing.pop(str(app.outdir), None)
    if pid is not None:
        os.waitpid(pid, 0)
    cards = _deferred.pop(str(app.outdir), {})
    if exception:
        return
    for target, (cached, lines, bold, regular) in cards.items():
        if not cached.is_file():
            _draw_card(cached, lines, bold, regular)
        _copy_if_changed(cached, target)


def _card_text(app, pagename: str, title: str) -> tuple[str, str, str, str]:
    """(kicker, title, subtitle, footer) for a card."""
    config = app.config
    footer = f"Open psychiatry textbook · release {config.release}"
    if pagename == "book":
        return ("Open textbook module", config.project, config.epub_description
                if "epub_description" in config else "", footer)
    lesson = next((item for item in app.env.get_domain("textbook").lessons.values()
                   if item["docname"] == pagename), None)
    kicker = config.project
    if lesson:
        lesson_id = next(key for key, item in app.env.get_domain("textbook").lessons.items()
                         if item is lesson)
        return (kicker, f"{lesson_id} {lesson['title']}", lesson.get("subtitle", ""), footer)
    return (kicker, _plain(title), "", footer)


def _copy_if_changed(source: Path, target: Path) -> None:
    if target.is_file() and target.stat().st_size == source.stat().st_size \
            and target.read_bytes() == source.read_bytes():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _wrap(draw, text: str, font, width: int, max_lines: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width:
            line = trial
            continue
        if line:
            lines.append(line)
        line = word
        if len(lines) == max_lines:
            break
    if line and len(lines) < max_lines:
        lines.append(line)
    if len(lines) == max_lines and " ".join(lines) != " ".join(words):
        last = lines[-1]
        while last and draw.textlength(last + "…", font=font) > width:
            last = last[: last.rfind(" ")] if " " in last else last[:-1]
        lines[-1] = last + "…"
    return lines


@functools.lru_cache(maxsize=8)
def _font(path: str, size: int):
    """A font face, opened once per build rather than once per card."""
    from PIL import ImageFont

    return ImageFont.truetype(path, size)


def _draw_card(target: Path, lines: tuple[str, str, str, str], bold: str, regular: str) -> None:
    from PIL import Image, ImageDraw

    kicker, title, subtitle, footer = lines
    width, height = CARD_SIZE
    image = Image.new("RGB", CARD_SIZE, PALETTE["cream"])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 36, height), fill=PALETTE["violet"])
    draw.rectangle((36, height - 96, width, height), fill=PALETTE["violet"])
    left, text_width = 96, width - 96 - 72
    y = 72
    small = _font(bold, 30)
    for line in _wrap(draw, kicker.upper(), small, text_width, 1):
        draw.text((left, y), line, font=small, fill=PALETTE["violet_soft"])
        y += 56
    big = _font(bold, 68)
    for line in _wrap(draw, title, big, text_width, 3):
        draw.text((left, y), line, font=big, fill=PALETTE["ink"])
        y += 82
    if subtitle:
        y += 16
        medium = _font(regular, 36)
        for line in _wrap(draw, subtitle, medium, text_width, 6 if y < 300 else 3):
            if y > height - 150:
                break
            draw.text((left, y), line, font=medium, fill=PALETTE["slate"])
            y += 48
    foot = _font(regular, 30)
    draw.text((left, height - 66), footer, font=foot, fill=PALETTE["cream"])
    # zlib's default level, not ``optimize=True``: Pillow (13.0) then compresses at level 9,
    # which took 100 of a card's 115 ms for a file 4 % smaller (53 against 55 KB); only
    # the sites a link is shared on fetch it.
    with whole_file(target) as partial:
        image.save(partial, "PNG", compress_level=CARD_COMPRESS_LEVEL)


def write_touch_icon(app, exception) -> None:
    """The icon a phone puts on its home screen (180 px), once per output folder."""
    if exception or app.builder.name not in ("html", "dirhtml"):
        return
    target = Path(app.outdir, TOUCH_ICON)
    cached = Path(app.doctreedir) / CACHE_DIR / f"touch-icon-{DRAWING_VERSION}.png"
    if not cached.is_file():
        from PIL import Image, ImageDraw, ImageFont

        bold, _regular = _fonts(app.config, app.confdir)
        image = Image.new("RGB", (180, 180), PALETTE["violet"])
        draw = ImageDraw.Draw(image)
        font = ImageFont.truetype(bold, 84)
        draw.text((90, 84), "14", font=font, fill=PALETTE["cream"], anchor="mm")
        draw.rectangle((40, 138, 140, 146), fill=PALETTE["cream"])
        cached.parent.mkdir(parents=True, exist_ok=True)
        image.save(cached, "PNG", optimize=True)
    _copy_if_changed(cached, target)
