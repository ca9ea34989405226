"""The book on the web: descriptions, link cards, canonical addresses, sitemap, robots.txt,
icons, the 404 page and "Cite this chapter" (textbook/site), in tiny projects."""

from __future__ import annotations

import re

import pytest

import conftest
from conftest import lesson

# sphinx-sitemap is left out here: it starts a multiprocessing Manager (a forked server
# process) in every build, and a fork of the test process, which has the browser tests'
# threads, can deadlock. The whole-book build (a subprocess) checks the sitemap.
SITE_CONF = """
extensions += ["sphinxext.opengraph", "notfound.extension"]
html_baseurl = "https://example.org/book"
release = "2026.11"
author = "The Authors"
"""

ANCHORED = lesson().replace("The one-paragraph summary.",
                            "Ketamine acts within hours. Its benefit fades over a week.")


@pytest.fixture
def site(project, monkeypatch):
    def build(extra: str = SITE_CONF, files: dict | None = None, builder: str = "html"):
        monkeypatch.setattr(conftest, "TINY_CONF", conftest.TINY_CONF + extra)
        project.build(files or {"lesson.md": ANCHORED}, builder=builder)
        return project
    return build


def _meta(html: str, name: str) -> str | None:
    found = re.search(rf'<meta (?:name|property)="{re.escape(name)}" content="([^"]*)"', html)
    return found.group(1) if found else None


def test_a_lesson_page_is_described_by_its_anchor_and_has_a_card(site):
    project = site()
    html = project.output("lesson.html")
    assert _meta(html, "description") == "Ketamine acts within hours. Its benefit fades over a week."
    assert _meta(html, "og:description") == _meta(html, "description")
    assert _meta(html, "og:title") == "A Lesson"
    assert _meta(html, "og:url") == "https://example.org/book/lesson.html"
    assert _meta(html, "twitter:card") == "summary_large_image"
    assert '<link rel="canonical" href="https://example.org/book/lesson.html" />' in html
    image = _meta(html, "og:image")
    assert image.startswith("https://example.org/book/_static/cards/")
    card = project.app.outdir / image.removeprefix("https://example.org/book/")
    assert card.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert project.warnings() == ""


def test_the_description_is_cut_at_a_sentence_for_search_engines(site):
    long_anchor = "The first sentence of this anchor is long enough. " + "word " * 60
    project = site(files={"lesson.md": lesson().replace("The one-paragraph summary.", long_anchor)})
    assert _meta(project.output("lesson.html"), "description") == "The first sentence of this anchor is long enough."


def test_every_page_has_a_description_robots_icons_and_a_404(site):
    project = site()
    index = project.output("index.html")
    assert _meta(index, "description")  # sphinxext-opengraph's, from the first paragraph
    assert re.search(r'<link rel="icon" href="_static/favicon.svg"', index)
    assert '<link rel="apple-touch-icon" href="_static/apple-touch-icon.png" />' in index
    assert (project.app.outdir / "_static" / "apple-touch-icon.png").read_bytes()[:4] == b"\x89PNG"
    assert project.output("robots.txt") == "User-agent: *\nAllow: /\n"  # no sitemap extension here
    notfound = project.output("404.html")
    # Served for a missing address at any depth: its links start from the site's root path.
    assert 'href="/book/_static/' in notfound
    assert 'href="_static/' not in notfound and 'href="../' not in notfound


def test_each_chapter_offers_its_citation(site):
    index = "# Book\n\n```{toctree}\n:caption: Part I\nlesson\n```\n"
    project = site(files={"index.md": index, "lesson.md": ANCHORED})
    html = project.output("lesson.html")
    box = re.search(r'<details class="textbook-cite admonition">(.*?)</details>', html, re.S).group(1)
    assert "<summary" in box and "Cite this chapter" in box
    assert ("The Authors. (2026). L14.4 A Lesson. In <em>tiny</em> (Release 2026.11). "
            '<a class="reference external" href="https://example.org/book/lesson.html">') in box
    assert "@incollection{stage14-l14-4-2026-11," in box
    assert "url = {https://example.org/book/lesson.html}," in box
    assert "textbook-cite" not in project.output("index.html")  # chapters only


def test_the_citation_stays_out_of_the_pdf(site):
    index = "# Book\n\n```{toctree}\n:caption: Part I\nlesson\n```\n"
    project = site(files={"index.md": index, "lesson.md": ANCHORED}, builder="latex")
    tex = next(project.app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "Cite this chapter" not in tex and "@incollection" not in tex


def test_no_script_is_fetched_or_run_before_the_first_paint(site):
    """textbook/site/fast.py with the book's theme and templates: the page's scripts are marked
    to run after the first paint, only the icon font is preloaded, search is loaded only on the
    search page, code styles only where there is code, and wide tables are focusable without
    the theme's script."""
    theme = f'html_theme = "sphinx_book_theme"\ntemplates_path = [{str(conftest.ROOT / "_templates")!r}]\n'
    table = "\n| Trial | Dose |\n| --- | --- |\n| A | 1 mg |\n\n"
    code = "# Code\n\n```python\nx = 1\n```\n"
    project = site(SITE_CONF + theme, {"lesson.md": lesson(table), "code.md": code})
    html = project.output("lesson.html")
    later = 'type="textbook/after-first-paint"'
    for script in ("_static/scripts/sphinx-book-theme.js", "_static/scripts/bootstrap.js",
                   "_static/scripts/pydata-sphinx-theme.js"):
        assert f'<script {later} src="{script}' in html, script
    for script in ("_static/doctools.js", "_static/sphinx_highlight.js"):
        assert f'<script data-textbook-needs="search-words" {later} src="{script}' in html, script
    unmarked = [tag for tag in re.findall(r'<script[^>]*\bsrc="[^"]*"', html) if later not in tag]
    assert len(unmarked) == 1 and "documentation_options.js" in unmarked[0], unmarked
    assert 'as="script"' not in html and "searchindex.js" not in html
    assert '<link rel="preload" href="_static/vendor/fontawesome/webfonts/fa-solid-900.woff2"' in html
    assert f"document.querySelectorAll('script[{later}]')" in html  # the script that adds them back
    assert '<div class="textbook-table-scroll" tabindex="0"><table' in html
    assert '<script src="_static/searchtools.js' in project.output("search.html")
    assert "pygments.css" not in html and "pygments.css" in project.output("code.html")


@pytest.mark.parametrize("address, reason", [
    ("example.org/book/", "it must start with https:// (or http://) and a host"),
    ("https://example.org/book/index.html", "it must be the site's folder, not a page"),
    ("https://example.org/book/?x=1", "it must not have a query (?) or a fragment (#)"),
])
def test_a_broken_base_url_stops_the_build_naming_the_setting(site, address, reason):
    from sphinx.errors import ConfigError

    with pytest.raises(ConfigError, match=re.escape(f"html_baseurl '{address}'") + ".*" + re.escape(reason)):
        site(SITE_CONF + f"html_baseurl = {address!r}\n")


def test_a_missing_card_image_stops_the_build_naming_the_setting(site):
    from sphinx.errors import ConfigError

    with pytest.raises(ConfigError, match=r"textbook_card_image: no such file 'missing\.png'"):
        site(SITE_CONF + 'textbook_card_image = "missing.png"\n')


def test_without_a_base_url_there_is_no_canonical_link_and_no_card(project):
    project.build({"lesson.md": ANCHORED})  # the tiny project: no html_baseurl, no card extensions
    html = project.output("lesson.html")
    assert 'rel="canonical"' not in html and "og:image" not in html
    assert _meta(html, "description") == "Ketamine acts within hours. Its benefit fades over a week."
    assert project.warnings() == ""


def test_purge_drops_rules_for_classes_no_page_uses():
    from textbook.site.purgecss import purge

    css = ('/*! licence */:root{--x:1}.used,.unused{color:red}.unused{color:blue}'
           '@media (min-width:1px){.unused .used{a:b}p{c:d}}@media print{.gone{e:f}}'
           'a:not(.absent){g:h}@keyframes spin{0%{i:j}to{k:l}}.md\\:used{m:n}')
    assert purge(css, {"used", "md:used"}) == (
        '/*! licence */:root{--x:1}.used{color:red}@media (min-width:1px){p{c:d}}'
        'a:not(.absent){g:h}@keyframes spin{0%{i:j}to{k:l}}.md\\:used{m:n}')


def test_the_book_is_found_and_shared(book_build):
    """The whole book: every chapter described, addressed, carded and citable; sitemap and 404."""
    html_dir = book_build["out"] / "html"
    chapters = sorted((html_dir / "chapters").glob("*.html"))
    sitemap = (html_dir / "sitemap.xml").read_text(encoding="utf-8")
    base = re.search(r"<loc>([^<]*?)index\.html</loc>", sitemap).group(1)
    assert (html_dir / "robots.txt").read_text() == f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"
    assert "Page not found" in (html_dir / "404.html").read_text(encoding="utf-8")
    assert "search.html" not in sitemap and "404.html" not in sitemap
    for page in chapters:
        html = page.read_text(encoding="utf-8")
        assert _meta(html, "description"), page.name
        assert re.search(rf'<link rel="canonical" href="[^"]*/chapters/{page.name}" />', html), page.name
        image = _meta(html, "og:image")
        assert image and (html_dir / "_static" / "cards" / image.rsplit("/", 1)[1]).is_file(), page.name
        assert 'class="textbook-cite admonition"' in html, page.name
        assert f"/chapters/{page.name}</loc>" in sitemap, page.name
