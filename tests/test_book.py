"""The real book: strict builds with no warnings; a PDF holding every chapter and anchor."""

import re
import subprocess
import unicodedata

import pytest

from conftest import ROOT
from textbook import sources


def _normalised(text: str) -> str:
    # PDF text breaks lines and words (hyphens), and may keep ligatures: compare letters only.
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKC", text).lower())


def _anchor_text(path) -> str:
    text = path.read_text(encoding="utf-8")
    body = re.search(r"^:{3,}\{anchor\}\n(.*?)\n:{3,}\s*$", text, re.MULTILINE | re.DOTALL).group(1)
    return re.sub(r"\{lesson\}`([^`]+)`", r"\1", body)  # a link prints as its id and title


@pytest.mark.parametrize("builder", ["html", "latex"])
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
