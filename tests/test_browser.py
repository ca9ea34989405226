"""The built HTML in a real browser: Debian's Chromium, driven by Playwright.

The session's book build is served on 127.0.0.1; every test opens pages from it.
Playwright is told to use /usr/bin/chromium (installed by scripts/setup.sh): it
downloads no browser of its own.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from textbook.tools import sources

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium's own calls home are switched off: the tests count every request a page makes.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
LESSON_PAGE = "chapters/l14-4-ketamine-beyond-trd.html"


def _reader_pages() -> list[str]:
    """Every page a reader reaches from the contents: the chapters and the book's own pages."""
    pages = ["index.html"] + [f"chapters/{path.stem}.html" for path in sorted((ROOT / "chapters").glob("*.md"))]
    pages += [f"{path.stem}.html" for path in sorted(ROOT.glob("*.md"))
              if path.stem not in ("index", "README", "CONTRIBUTING", "ARCHITECTURE")]
    return pages


READER_PAGES = _reader_pages()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def site(book_build):
    """The session's HTML build, served on an unused port of 127.0.0.1."""
    html = Path(book_build["out"]) / "html"
    assert (html / LESSON_PAGE).is_file(), "the HTML build failed: see test_strict_build_has_no_warnings"
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: run 'make setup' (installs Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser, site):
    """open_page(path, viewport=DESKTOP, dark=False) -> a loaded page, with its requests and errors."""
    contexts = []

    def opener(path: str, viewport: dict = DESKTOP, dark: bool = False):
        context = browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light")
        contexts.append(context)
        page = context.new_page()
        page.requested, page.errors = [], []
        page.on("request", lambda request: page.requested.append(request.url))
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(site + path, wait_until="networkidle")
        # The theme's scripts run after the first paint (textbook/site/fast.py); then this is set.
        page.wait_for_function("document.documentElement.dataset.textbookScripts === 'run'")
        return page

    yield opener
    for context in contexts:
        context.close()


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


CHAPTER_PAGES = [page for page in READER_PAGES if page.startswith("chapters/")]


def _load_every_image(page) -> None:
    # Figures load lazily: one that loads while the test scrolls moves what lies below it.
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(img => img.loading = 'eager')")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("path", CHAPTER_PAGES)
def test_margin_notes_sit_in_the_right_margin_on_a_desktop(open_page, path):
    page = open_page(path, DESKTOP)
    _load_every_image(page)
    # sphinx-book-theme folds the contents list when a note scrolls into view (an intersection
    # observer, then a 0.4 s transition): no transitions, and two frames for the observer.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    paragraph = _box(page, "article section > p")
    for note in page.locator(".margin-note").all():
        box = note.bounding_box()
        assert box["x"] >= paragraph["x"] + paragraph["width"] - 1, "a margin note overlaps the text column"
        assert box["x"] + box["width"] <= DESKTOP["width"], "a margin note runs off the page"
        note.scroll_into_view_if_needed()
        note.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        uncovered = note.evaluate("""note => {
            const box = note.getBoundingClientRect();
            const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return note.contains(top);
        }""")
        assert uncovered, "something (the contents list?) covers a margin note"


# For each margin note: the heading of the innermost section that holds it, and the share of the
# note's height that lies beside that section (a note written at the end of a section floats
# down beside the next one).
_NOTE_SHARE_BESIDE_OWN_SECTION = """() => [...document.querySelectorAll('.margin-note')].map(note => {
    const section = note.closest('section');
    const heading = section.querySelector('h1, h2, h3, h4, h5, h6');
    const n = note.getBoundingClientRect(), s = section.getBoundingClientRect();
    const beside = Math.max(0, Math.min(n.bottom, s.bottom) - Math.max(n.top, s.top));
    return [heading ? heading.textContent.replace(/#$/, '').trim() : section.id, beside / n.height];
})"""


@pytest.mark.parametrize("path", CHAPTER_PAGES)
def test_margin_notes_sit_beside_their_own_section_on_a_desktop(open_page, path):
    page = open_page(path, DESKTOP)
    _load_every_image(page)
    shares = page.evaluate(_NOTE_SHARE_BESIDE_OWN_SECTION)
    astray = [f"'{heading}' ({share:.0%} beside it)" for heading, share in shares if share < 0.5]
    assert not astray, (f"{path}: margin notes that lie mostly beside the next section, not their own: "
                        f"{'; '.join(astray)}. Write each note just before the passage it annotates.")


def test_margin_notes_are_inline_on_a_phone(open_page):
    page = open_page(LESSON_PAGE, PHONE)
    paragraph = _box(page, "article section > p")
    for note in page.locator(".margin-note").all():
        box = note.bounding_box()
        assert box["x"] < paragraph["x"] + paragraph["width"] / 2, "a margin note is not in the text column"
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, "a margin note is cut off"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"


def test_model_answer_is_hidden_until_clicked(open_page):
    page = open_page(LESSON_PAGE)
    answer = page.locator("details.model-answer").first
    body = answer.locator("> :not(summary)").first
    assert not body.is_visible()
    answer.locator("summary").click()
    assert body.is_visible()


def test_dark_mode_toggles_and_the_text_stays_light_on_dark(open_page):
    page = open_page(LESSON_PAGE)
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    page.locator(".theme-switch-button:visible").first.click()  # opens the colour-mode menu
    page.locator(".theme-change-button[data-mode=dark]:visible").first.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    colours = page.evaluate("""() => {
        const style = getComputedStyle(document.querySelector('article p'));
        return [getComputedStyle(document.body).backgroundColor, style.color];
    }""")
    background, text = (_luminance(colour) for colour in colours)
    assert background < text and (text + 0.05) / (background + 0.05) >= 7, colours  # WCAG AAA body text
    page.reload(wait_until="networkidle")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark", "the choice is not kept"


def _luminance(css_colour: str) -> float:
    """WCAG 2 relative luminance of an rgb() colour."""
    def linear(channel: str) -> float:
        value = int(channel) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(part) for part in re.findall(r"\d+", css_colour)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _word_only_in(chapter: Path) -> str:
    """A long word that appears in this chapter and on no other page of the book."""
    def words(path: Path) -> set[str]:
        return set(re.findall(r"\b[a-z]{9,}\b", path.read_text(encoding="utf-8").lower()))

    pages = [*ROOT.glob("*.md"), *ROOT.glob("chapters/*.md")]
    others = set().union(*(words(path) for path in pages if path != chapter))
    others |= words(ROOT / "references.bib")
    return sorted(words(chapter) - others)[0]


def test_search_finds_a_chapter_by_a_word_only_it_contains(open_page):
    chapter = ROOT / "chapters" / "l14-4-ketamine-beyond-trd.md"
    word = _word_only_in(chapter)
    page = open_page(f"search.html?q={word}")
    page.wait_for_selector("#search-results ul.search li", timeout=10_000)
    hits = page.locator("#search-results ul.search li a").all_inner_texts()
    title = sources.lesson_front_matter(chapter)["title"]
    assert any(title in hit for hit in hits), (word, hits)


@pytest.mark.parametrize("path", READER_PAGES)
def test_page_loads_nothing_from_other_hosts_and_logs_no_errors(open_page, path):
    page = open_page(path)
    foreign = [url for url in page.requested
               if urlsplit(url).hostname not in ("127.0.0.1", None) and not url.startswith("data:")]
    assert foreign == []
    assert page.errors == []


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("path", READER_PAGES)
def test_axe_finds_no_wcag_aa_violations(open_page, path, dark):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(path, dark=dark)
    expected = "dark" if dark else "light"
    assert page.evaluate("document.documentElement.dataset.theme") == expected
    # The theme fades colours when it settles the mode after load; axe must read the settled
    # colours, not a frame of the fade (it once read black search text on the dark page).
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    page.wait_for_timeout(100)
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_printing_a_chapter_drops_the_chrome_and_keeps_answers_and_notes(open_page):
    page = open_page(LESSON_PAGE)
    page.emulate_media(media="print")
    for chrome in (".bd-header", ".bd-sidebar-primary", ".bd-sidebar-secondary", ".prev-next-area"):
        assert not page.locator(chrome).first.is_visible(), f"{chrome} is printed"
    assert page.locator("details.model-answer > :not(summary)").first.is_visible(), "the answer is not printed"
    assert page.locator(".margin-note").first.is_visible()
    assert page.locator(".textbook-disclaimer").first.is_visible(), "the disclaimer is not printed"


FIGURE_PAGES = [page for page in CHAPTER_PAGES
                if ":::{evidence-figure}" in (ROOT / "chapters" / Path(page).with_suffix(".md").name).read_text()]


@pytest.mark.parametrize("path", FIGURE_PAGES)
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_evidence_figures_fit_a_phone_show_their_data_and_sit_on_cream_in_dark_mode(open_page, path, dark):
    page = open_page(path, PHONE, dark=dark)
    figures = page.locator("figure.evidence-figure")
    assert figures.count() >= 1
    for index in range(figures.count()):
        image = figures.nth(index).locator("img")
        image.scroll_into_view_if_needed()
        box = image.bounding_box()
        assert image.is_visible() and box["width"] > 250, "an evidence figure is missing or tiny on a phone"
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, "an evidence figure is cut off"
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "an evidence figure did not load"
        background = image.evaluate("img => getComputedStyle(img).backgroundColor")
        assert background == ("rgb(251, 246, 234)" if dark else "rgba(0, 0, 0, 0)"), background
        data = page.locator("details.evidence-data").nth(index)
        table = data.locator("table")
        assert not table.is_visible()
        data.locator("summary").click()
        assert table.is_visible() and table.locator("thead th").count() >= 5
        assert data.bounding_box()["x"] + data.bounding_box()["width"] <= PHONE["width"] + 1, "the data runs off"
