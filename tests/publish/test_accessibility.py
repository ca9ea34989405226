"""Accessible downloads: the EPUB passes Ace by DAISY and declares its accessibility
truthfully; the PDF and every chapter PDF say what they are (language, title, subject).

Ace by DAISY 1.4.6 is installed by scripts/setup.sh into node_modules/ (package.json);
it drives Debian's Chromium through Puppeteer.
"""

from __future__ import annotations

import json
import os
import re
import runpy
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

import pytest
from pypdf import PdfReader

from conftest import ROOT, TINY_CONF, lesson

CONF = runpy.run_path(str(ROOT / "conf.py"))
ACE = ROOT / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class Violation(NamedTuple):
    file: str  # inside the EPUB
    rule: str  # Ace's rule id (axe-core's for content, metadata-* for the package)
    impact: str
    where: str  # the element, when Ace names one

    def __str__(self) -> str:
        return f"{self.file}: {self.rule} ({self.impact}){': ' + self.where if self.where else ''}"


def ace(epub: Path, report_dir: Path) -> list[Violation]:
    """Run Ace by DAISY on an EPUB; every failed assertion it reports, by file and rule."""
    if not ACE.exists() or not Path(CHROMIUM).exists():
        pytest.skip("Ace by DAISY is not installed (scripts/setup.sh installs it with npm; needs Node.js 20+)")
    run = subprocess.run([str(ACE), "--silent", "--force", "--outdir", str(report_dir), str(epub)],
                         capture_output=True, text=True, timeout=900,
                         env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM})
    report_path = report_dir / "report.json"
    assert report_path.is_file(), f"Ace wrote no report (exit {run.returncode}):\n{run.stdout}{run.stderr}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    found = []
    for subject in report["assertions"]:
        file = subject["earl:testSubject"]["url"].lstrip("/")
        for assertion in subject["assertions"]:
            if assertion["earl:result"]["earl:outcome"] == "fail":
                where = re.sub(r'\s*xmlns(:\w+)?="[^"]*"', "", assertion["earl:result"].get("html", ""))
                found.append(Violation(file, assertion["earl:test"]["dct:title"],
                                       assertion["earl:test"]["earl:impact"], where[:160]))
    return found


def report(violations: list[Violation]) -> str:
    return f"Ace by DAISY found {len(violations)} violations:\n" + "\n".join(map(str, violations))


def _epub(book_build) -> Path:
    return next((book_build["out"] / "epub").glob("*.epub"))


# -- The book's EPUB ------------------------------------------------------------------

def test_the_epub_has_no_ace_violations(book_build, tmp_path):
    violations = ace(_epub(book_build), tmp_path / "ace")
    assert violations == [], report(violations)


def test_the_epub_declares_its_accessibility(book_build):
    with zipfile.ZipFile(_epub(book_build)) as book:
        opf = book.read("content.opf").decode("utf-8")
        nav = book.read("nav.xhtml").decode("utf-8")
        index = book.read("index.xhtml").decode("utf-8")
        has_images = any(re.search(r"<img\b", book.read(name).decode("utf-8"))
                         for name in book.namelist() if name.endswith(".xhtml"))
    meta = re.findall(r'<meta property="([^"]+)">([^<]*)</meta>', opf)
    assert ("schema:accessMode", "textual") in meta
    assert (("schema:accessMode", "visual") in meta) == has_images
    assert (("schema:accessibilityFeature", "alternativeText") in meta) == has_images
    assert ("schema:accessModeSufficient", "textual") in meta
    assert ("schema:accessibilityHazard", "none") in meta
    assert ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA") in meta
    assert any(name == "a11y:certifiedBy" and "automated checks" in value for name, value in meta)
    assert '<nav epub:type="toc" id="toc" role="doc-toc">' in nav
    landmarks = re.findall(r'<a epub:type="([a-z]+)" href="([^"]+)"', nav)
    assert landmarks == [("titlepage", "index.xhtml"), ("toc", "index.xhtml"),
                         ("bodymatter", "chapters/stage-14-overview.xhtml"), ("backmatter", "key-points.xhtml")]
    assert index.count('<p aria-level="2" class="caption" role="heading">') == 3


# -- An EPUB that regresses fails, naming the file and the rule ------------------------------

def _png(path: Path) -> None:
    """A 1x1 grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))


def _regressed_copy(epub: Path, target: Path) -> None:
    """The book's EPUB with two regressions: a chapter without its language, and a figure
    without a text alternative in a book whose metadata says every image has one."""
    chapter = "chapters/l14-2-psilocybin.xhtml"
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == chapter:
                text = data.decode("utf-8").replace(' lang="en" xml:lang="en"', "", 1)
                text = text.replace("</h1>", '</h1>\n<figure><img src="../_static/figure.png" />'
                                             "<figcaption>A figure</figcaption></figure>", 1)
                data = text.encode("utf-8")
            elif info.filename == "content.opf":
                text = data.decode("utf-8").replace(
                    '<meta property="schema:accessibilityHazard">',
                    '<meta property="schema:accessMode">visual</meta>\n'
                    '<meta property="schema:accessibilityFeature">alternativeText</meta>\n'
                    '<meta property="schema:accessibilityHazard">', 1)
                text = text.replace("<manifest>", '<manifest>\n<item id="figure" href="_static/figure.png" '
                                                  'media-type="image/png" />', 1)
                data = text.encode("utf-8")
            copy.writestr(info, data)
        png = target.parent / "figure.png"
        _png(png)
        copy.write(png, "_static/figure.png", compress_type=zipfile.ZIP_DEFLATED)


def test_an_epub_that_regresses_fails_naming_the_file_and_the_rule(book_build, tmp_path):
    regressed = tmp_path / "regressed.epub"
    _regressed_copy(_epub(book_build), regressed)
    violations = ace(regressed, tmp_path / "ace")
    rules = {(v.file, v.rule) for v in violations}
    assert ("chapters/l14-2-psilocybin.xhtml", "html-has-lang") in rules, report(violations)
    assert ("chapters/l14-2-psilocybin.xhtml", "image-alt") in rules, report(violations)
    message = report(violations)
    assert "chapters/l14-2-psilocybin.xhtml: html-has-lang (serious): <html>" in message
    assert "chapters/l14-2-psilocybin.xhtml: image-alt (critical): <img" in message


# -- The metadata follows the book (tiny projects) -------------------------------------------

EPUB_CONF = TINY_CONF + 'epub_theme = "textbook_epub"\nlanguage = "en"\nversion = "1"\ncopyright = "2026, us"\n'
INDEX = "# Book\n\n```{toctree}\nch\n```\n"


def _opf_meta(project) -> list[tuple[str, str]]:
    return re.findall(r'<meta property="([^"]+)">([^<]*)</meta>', project.output("content.opf"))


def _with_figure(project, alt: str) -> None:
    project.path.mkdir(parents=True, exist_ok=True)
    _png(project.path / "figure.png")
    option = f":alt: {alt}\n" if alt else ""
    body = f"\n```{{figure}} figure.png\n{option}\nThe caption of the figure.\n```\n\n"
    project.build({"conf.py": EPUB_CONF, "index.md": INDEX, "ch.md": lesson(body)}, "epub")


def test_a_book_without_images_declares_text_only(project):
    project.build({"conf.py": EPUB_CONF, "index.md": INDEX, "ch.md": lesson()}, "epub")
    meta = _opf_meta(project)
    assert [value for name, value in meta if name == "schema:accessMode"] == ["textual"]
    assert [value for name, value in meta if name == "schema:accessModeSufficient"] == ["textual"]
    assert ("schema:accessibilityFeature", "alternativeText") not in meta
    assert any(name == "schema:accessibilitySummary" and "It has no images." in value for name, value in meta)
    assert '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" ' \
           'lang="en" xml:lang="en">' in project.output("ch.xhtml")


def test_images_with_alt_text_are_declared_and_their_captions_announced(project):
    _with_figure(project, "A grey square, the only figure")
    meta = _opf_meta(project)
    assert [value for name, value in meta if name == "schema:accessMode"] == ["textual", "visual"]
    assert [value for name, value in meta if name == "schema:accessModeSufficient"] == ["textual", "textual,visual"]
    assert ("schema:accessibilityFeature", "alternativeText") in meta
    assert ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA") in meta
    assert any(name == "schema:accessibilitySummary" and "Its one image has a text alternative." in value
               for name, value in meta)
    page = project.output("ch.xhtml")
    assert re.search(r'<figure[^>]*>\s*<img alt="A grey square, the only figure" src="_images/figure.png" />'
                     r'\s*<figcaption>\s*<p><span class="caption-text">The caption of the figure.</span>', page)
    assert project.warnings() == ""


def test_an_image_without_alt_text_is_a_build_error_and_nothing_is_claimed(project):
    _with_figure(project, alt="")
    assert "ch.md:15: ERROR: image figure.png has no alt text: add one (:alt:)" in project.warnings()
    meta = _opf_meta(project)
    assert [value for name, value in meta if name == "schema:accessModeSufficient"] == ["textual,visual"]
    assert ("schema:accessibilityFeature", "alternativeText") not in meta
    assert not any(name == "dcterms:conformsTo" for name, _ in meta)


def test_a_table_caption_is_the_tables_caption_element(project):
    table = "\n```{list-table} Doses in the trials\n:header-rows: 1\n\n* - Trial\n  - Dose\n* - A\n  - 1 mg\n```\n\n"
    project.build({"conf.py": EPUB_CONF, "index.md": INDEX, "ch.md": lesson(table)}, "epub")
    assert re.search(r'<table[^>]*>\s*<caption><span class="caption-text">Doses in the trials</span>',
                     project.output("ch.xhtml"))


# -- The PDFs say what they are --------------------------------------------------------------

def _assert_pdf_metadata(path: Path, title: str) -> None:
    reader = PdfReader(path)
    info = reader.metadata
    assert info.title == title, path.name
    assert info.author == CONF["author"], path.name
    assert CONF["PDF_SUBJECT"] in info.subject, path.name
    assert info["/Keywords"] == CONF["PDF_KEYWORDS"], path.name
    assert reader.root_object["/Lang"] == CONF["language"], f"{path.name}: no /Lang"
    assert reader.viewer_preferences and reader.viewer_preferences.display_doctitle, \
        f"{path.name}: the viewer shows the file name, not the title"


def test_the_module_pdf_says_what_it_is(book_build):
    assert book_build["pdf"] is not None, book_build["pdf_log"]
    _assert_pdf_metadata(book_build["pdf"], CONF["project"])
    assert len(PdfReader(book_build["pdf"]).outline) >= 3  # the bookmarks: parts and back matter


def test_each_chapter_pdf_says_what_it_is_with_its_own_title(book_build):
    returncode, log = book_build["downloads_log"]
    assert returncode == 0, log
    manifest = json.loads((book_build["out"] / "latex" / "textbook-downloads.json").read_text(encoding="utf-8"))
    for chapter in manifest["chapters"]:
        path = book_build["out"] / "html" / manifest["directory"] / chapter["file"]
        _assert_pdf_metadata(path, chapter["title"])
        assert PdfReader(path).metadata.subject.startswith(CONF["project"])


def test_the_web_pages_keep_the_themes_own_translator(project):
    """The EPUB's translator is registered for EPUB builds only: registered at setup, it
    stopped pydata-sphinx-theme from adding its mixin to the HTML translator."""
    index = "# Book\n\n```{toctree}\n:caption: Part I. Lessons\n\nch\n```\n"
    table = "\n| Trial | Dose |\n| --- | --- |\n| A | 1 mg |\n\n"
    project.build({"conf.py": TINY_CONF + 'html_theme = "sphinx_book_theme"\n', "index.md": index,
                   "ch.md": lesson(table)}, "html")
    assert '<p aria-level="2" class="caption" role="heading">' in project.output("index.html")
    # The theme's table wrapper, made focusable by textbook/site/fast.py.
    assert '<div class="textbook-table-scroll" tabindex="0"><table class="table">' in project.output("ch.html")
