"""The real book: strict builds with no warnings; a PDF holding every chapter and anchor;
the downloads (a PDF per chapter, the EPUB) published with the HTML and linked from the pages."""

import json
import re
import runpy
import shutil
import subprocess
import unicodedata
import zipfile

import pytest
from pypdf import PdfReader

from conftest import ROOT
from textbook.tools import sources

CONF = runpy.run_path(str(ROOT / "conf.py"))


def _normalised(text: str) -> str:
    # PDF text breaks lines and words (hyphens), and may keep ligatures: compare letters only.
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKC", text).lower())


def _anchor_text(path) -> str:
    text = path.read_text(encoding="utf-8")
    body = re.search(r"^:{3,}\{anchor\}\n(.*?)\n:{3,}\s*$", text, re.MULTILINE | re.DOTALL).group(1)
    return re.sub(r"\{lesson\}`([^`]+)`", r"\1", body)  # a link prints as its id and title


@pytest.mark.parametrize("builder", ["html", "latex", "epub"])
def test_strict_build_has_no_warnings(book_build, builder):
    returncode, stderr = book_build["logs"][builder]
    assert stderr.strip() == ""
    assert returncode == 0


def test_pdf_holds_every_chapter_title_and_anchor(book_build):
    assert book_build["pdf"] is not None, book_build["pdf_log"]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(book_build["pdf"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    pdf = _normalised(text)
    for path in sources.lesson_files(ROOT):
        meta = sources.lesson_front_matter(path)
        assert _normalised(meta["title"]) in pdf, f"{path.name}: title missing from the PDF"
        anchor = _normalised(re.sub(r"L\d+\.\d+|KS\d+", "", _anchor_text(path)))
        assert anchor[:400] in pdf, f"{path.name}: anchor missing from the PDF"


def test_margin_notes_are_admonitions_in_the_margin(book_build):
    for path in sources.lesson_files(ROOT):
        html = (book_build["out"] / "html" / "chapters" / f"{path.stem}.html").read_text(encoding="utf-8")
        notes = re.findall(r'<div class="margin-note margin margin-note-[a-z-]+ admonition">', html)
        assert notes, f"{path.name}: no margin notes in the HTML"
        assert len(notes) == path.read_text(encoding="utf-8").count("{margin-note}")


def test_margin_notes_are_styled_notes_in_latex(book_build):
    tex = next((book_build["out"] / "latex").glob("*.tex")).read_text(encoding="utf-8")
    kinds = re.findall(r"\\begin\{textbookmarginnote\}\{([a-z-]+)\}", tex)
    written = sum(p.read_text(encoding="utf-8").count("{margin-note}") for p in (ROOT / "chapters").glob("*.md"))
    assert len(kinds) == written
    assert r"\marginpar" not in tex


def test_glossary_defines_at_least_25_terms_once_each(book_build):
    defined = sources.glossary_terms((ROOT / "glossary.md").read_text(encoding="utf-8"))
    html = (book_build["out"] / "html" / "glossary.html").read_text(encoding="utf-8")
    entries = re.findall(r"<dd>", html)  # one definition per entry, however many names it has
    assert len(entries) >= 25
    assert len(set(re.findall(r'<dt id="(term-[^"]+)"', html))) == len(defined)


def test_every_chapter_links_glossary_terms_that_exist(book_build):
    html_dir = book_build["out"] / "html"
    ids = set(re.findall(r'<dt id="(term-[^"]+)"', (html_dir / "glossary.html").read_text(encoding="utf-8")))
    for path in sorted((ROOT / "chapters").glob("*.md")):
        html = (html_dir / "chapters" / f"{path.stem}.html").read_text(encoding="utf-8")
        linked = set(re.findall(r'href="\.\./glossary\.html#(term-[^"]+)"', html))
        assert len(linked) >= 3, f"{path.name}: links only {sorted(linked)}"
        assert linked <= ids, f"{path.name}: links to missing entries {sorted(linked - ids)}"


def test_glossary_is_back_matter_in_the_pdf_with_linked_terms(book_build):
    tex = next((book_build["out"] / "latex").glob("*.tex")).read_text(encoding="utf-8")
    glossary = tex.index(r"\label{\detokenize{glossary::doc}}")
    assert tex.index(r"\appendix") < glossary < tex.index(r"\label{\detokenize{bibliography::doc}}")
    assert r"\begin{description}" in tex[glossary:]
    assert r"{\hyperref[\detokenize{glossary:term-NMDA-receptor}]{\sphinxtermref{" in tex


def _page_weight_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("page_weight", ROOT / "scripts" / "page_weight.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_chapter_page_weighs_at_most_200_kib_gzipped_and_loads_only_local_files(book_build):
    weigh = _page_weight_module().weigh
    pages = sorted((book_build["out"] / "html" / "chapters").glob("*.html"))
    assert pages
    for page in pages:
        result = weigh(page)
        gzipped = sum(gz for _, _, gz in result["files"]) / 1024
        assert result["external"] == [] and result["missing"] == [], (page.name, result)
        assert gzipped <= 200, f"{page.name}: {gzipped:.0f} KiB gzipped"
        assert not any(path.name == "fontawesome.js" for path, _, _ in result["files"])


# -- Downloads ---------------------------------------------------------------------

def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def _without_running_heads(text: str) -> str:
    """The text of the pages without their headers and footers, so an entry split by a
    page break reads as one: page numbers, "Chapter 3. Title" and "3.8. References" (the
    running marks), the book's title, the notice."""
    furniture = re.compile(r"^(\d+|[ivxl]+|Chapter \d+\. .*|Appendix [A-Z]\. .*|\d+(\.\d+)+\. .*|"
                           + re.escape(CONF["project"]) + r", Release .*|" + re.escape(CONF["DISCLAIMER_SHORT"]) + ")$")
    return "\n".join(line for line in text.splitlines() if not furniture.match(line.strip()))


def _manifest(book_build) -> dict:
    return json.loads((book_build["out"] / "latex" / "textbook-downloads.json").read_text(encoding="utf-8"))


def _bib_titles() -> dict[str, str]:
    entries = sources.read_bib((ROOT / "references.bib").read_text(encoding="utf-8"))
    return {key: re.sub(r"[{}]", "", entry["fields"].get("title", "")) for key, entry in entries.items()}


def test_downloads_are_published_with_the_html(book_build):
    returncode, log = book_build["downloads_log"]
    assert returncode == 0, log
    manifest = _manifest(book_build)
    docnames = [chapter["docname"] for chapter in manifest["chapters"]]
    assert {f"chapters/{path.stem}" for path in sources.lesson_files(ROOT)} <= set(docnames)
    assert "key-points" not in docnames and "bibliography" not in docnames
    published = {path.name for path in (book_build["out"] / "html" / manifest["directory"]).iterdir()}
    module = manifest["module"]
    assert published == {chapter["file"] for chapter in manifest["chapters"]} | {module["pdf"], module["epub"]}


def test_each_chapter_pdf_has_its_title_its_references_and_the_notice(book_build):
    manifest = _manifest(book_build)
    folder = book_build["out"] / "html" / manifest["directory"]
    titles = _bib_titles()
    notice = _normalised(CONF["DISCLAIMER_SHORT"])
    for chapter in manifest["chapters"]:
        path = folder / chapter["file"]
        metadata = PdfReader(path).metadata
        assert metadata.title == chapter["title"] and metadata.subject.startswith(manifest["module"]["title"])
        text = _pdf_text(path)
        assert _normalised(chapter["title"]) in _normalised(text), f"{path.name}: title missing"
        body = _normalised(_without_running_heads(text))
        for citation in sources.citations(ROOT / f"{chapter['docname']}.md"):
            assert _normalised(titles[citation.key])[:40] in body, \
                f"{path.name}: reference {citation.key} (cited at {citation.path.name}:{citation.line}) missing"
        pages = [page for page in text.split("\f") if page.strip()]
        assert pages and all(notice in _normalised(page) for page in pages), f"{path.name}: a page lacks the notice"


def test_links_on_a_chapter_page_lead_to_the_files(book_build):
    manifest = _manifest(book_build)
    for chapter in manifest["chapters"]:
        page = book_build["out"] / "html" / f"{chapter['docname']}.html"
        html = page.read_text(encoding="utf-8")
        line = re.search(r'<p class="textbook-downloads">(.*?)</p>', html, re.DOTALL)
        assert line, f"{page.name}: no download line"
        links = re.findall(r'href="([^"]+)"', line.group(1))
        menu = re.findall(r'<a href="([^"]+)" target="_blank"\s+class="btn btn-sm btn-download-'
                          r'(?:chapter-pdf|module-pdf|epub)-button', html)
        assert links == menu and len(links) == 3
        assert links[0].endswith("/" + chapter["file"])
        for link in links:
            assert (page.parent / link).resolve().is_file(), f"{page.name}: {link} leads nowhere"


def _epubcheck() -> list[str] | None:
    """The command that runs epubcheck, or None. Debian installs it as a bare .jar that
    the kernel runs through binfmt_misc where that is set up; elsewhere java runs it."""
    path = shutil.which("epubcheck")
    if path is None:
        return None
    with open(path, "rb") as program:
        is_jar = program.read(2) == b"PK"
    if not is_jar:
        return [path]
    return [java, "-jar", path] if (java := shutil.which("java")) else None


def test_the_epub_passes_epubcheck(book_build):
    command = _epubcheck()
    if command is None:
        pytest.skip("epubcheck is not installed (scripts/setup.sh installs Debian's epubcheck and Java)")
    epub = next((book_build["out"] / "epub").glob("*.epub"))
    run = subprocess.run([*command, str(epub)], capture_output=True, text=True)
    report = run.stdout + run.stderr
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in report, report
    assert run.returncode == 0, report


def test_the_epub_carries_the_disclaimer_and_open_answers(book_build):
    epub = next((book_build["out"] / "epub").glob("*.epub"))
    with zipfile.ZipFile(epub) as book:
        front = book.read("index.xhtml").decode("utf-8")
        chapter = book.read("chapters/l14-4-ketamine-beyond-trd.xhtml").decode("utf-8")
        names = book.namelist()
    assert "This module is for education." in front
    assert f'<footer class="textbook-disclaimer"><p>{CONF["DISCLAIMER_SHORT"]}</p></footer>' in chapter
    assert '<div class="model-answer admonition">' in chapter and "<details" not in chapter
    assert "_static/textbook-epub.css" in names and "_static/textbook.css" not in names
