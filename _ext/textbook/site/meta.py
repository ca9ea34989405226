"""Meta description, link-card fields, canonical address checks and robots.txt."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

from sphinx.errors import ConfigError
from sphinx.util import logging

from ..publish.downloadlinks import WEB_BUILDERS
from ..publish.parts import chapters_in_parts
from . import cards

logger = logging.getLogger(__name__)

#: Search engines show about this many characters of a description.
DESCRIPTION_LENGTH = 160
STATIC = Path(__file__).parent / "static"
#: Its "14" is outlines (TeX Gyre Heros Bold, the touch icon's face), not <text>: the browser
#: draws the tab icon on the page's main thread, and looking up a font for it took 45 ms there.
FAVICON = STATIC / "favicon.svg"


def check_base_url(app, config) -> None:
    """``html_baseurl`` is the site's absolute address, or empty (a local build).

    A wrong one would give every page a canonical link, a sitemap entry and a card that
    lead nowhere, so it stops the build and names the setting.
    """
    base = config.html_baseurl or ""
    if not base:
        return
    parts = urlsplit(base)
    problem = None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problem = "it must start with https:// (or http://) and a host"
    elif re.search(r"\s", base):
        problem = "it contains a space"
    elif parts.query or parts.fragment:
        problem = "it must not have a query (?) or a fragment (#)"
    elif parts.path.endswith((".html", ".htm")):
        problem = "it must be the site's folder, not a page"
    if problem:
        raise ConfigError(
            f"html_baseurl {base!r} is not the published site's address: {problem} "
            "(for example https://owner.github.io/repository/)")
    if not base.endswith("/"):
        config.html_baseurl = base + "/"  # the sitemap and the cards join page paths to it


def settings_from_base_url(app, config) -> None:
    """Point the link cards and the 404 page at the site's address, unless set in conf.py."""
    base = config.html_baseurl or ""
    if "ogp_site_url" in config and not config.ogp_site_url:
        config.ogp_site_url = base
    if "notfound_urls_prefix" in config:
        # The 404 page is served at any depth: its links start from the site's root path.
        config.notfound_urls_prefix = urlsplit(base).path or "/"
    if not config.html_favicon:
        config.html_favicon = str(FAVICON)


def _shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    sentence = cut.rfind(". ")
    if sentence > length // 4:
        return cut[: sentence + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + "…"


def page_description(app, pagename: str) -> str | None:
    """A chapter's anchor (or its subtitle); None for other pages (sphinxext-opengraph's own)."""
    domain = app.env.get_domain("textbook")
    anchor = domain.anchors.get(pagename)
    if anchor is not None:
        return _shorten(anchor.astext())
    for lesson in domain.lessons.values():
        if lesson["docname"] == pagename and lesson.get("subtitle"):
            return _shorten(lesson["subtitle"])
    return None


def add_page_meta(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.name == "epub":
        # An e-book links nowhere on the web: no canonical address in its files.
        context["pageurl"] = None
        return
    if app.builder.name not in WEB_BUILDERS:
        return
    tags = []
    description = page_description(app, pagename)
    fields = dict(context.get("meta") or {})  # a copy: the original is the environment's
    if description:
        tags.append(f'<meta name="description" content="{html.escape(description)}" />')
        fields["og:description"] = description
    base = app.config.html_baseurl
    if base:
        chapter = pagename in chapters_in_parts(app.env)
        image = cards.card_for_page(app, pagename, context.get("title", ""), chapter)
        fields["og:image"] = base + image
        fields["og:image:width"] = str(cards.CARD_SIZE[0])
        fields["og:image:height"] = str(cards.CARD_SIZE[1])
        fields["og:image:alt"] = cards.card_alt(app, context.get("title", ""))
        tags.append('<meta name="twitter:card" content="summary_large_image" />')
    tags.append(f'<link rel="apple-touch-icon" href="{context["pathto"](cards.TOUCH_ICON, 1)}" />')
    context["meta"] = fields
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"


def write_robots_txt(app, exception) -> None:
    """Every page may be indexed; the sitemap (sphinx-sitemap's) is named where there is one."""
    if exception or app.builder.name not in WEB_BUILDERS:
        return
    lines = ["User-agent: *", "Allow: /"]
    base = app.config.html_baseurl
    if base and "sitemap_filename" in app.config:
        lines.append(f"Sitemap: {base}{app.config.sitemap_filename}")
    text = "\n".join(lines) + "\n"
    target = Path(app.outdir) / "robots.txt"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
