"""Downloads: the links on the pages (tiny projects), and the PDF splitter (a small PDF made here)."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

from conftest import TINY_CONF, lesson
from textbook.lesson import nodes as tb
from textbook.publish import downloadlinks, downloads

PARTS_INDEX = """# Book

```{toctree}
:caption: Part I. Lessons

ch
```

```{toctree}
:caption: Back matter

extra
```
"""

CHAPTER_LINE = (
    '<p class="textbook-downloads">Download: <a class="textbook-download-chapter-pdf reference internal" '
    'href="downloads/ch.pdf">this chapter (PDF)</a>'
)


def _book(project, builder="html", conf=""):
    return project.build({"conf.py": TINY_CONF + conf, "index.md": PARTS_INDEX,
                          "ch.md": lesson(), "extra.md": "# Extra\n\nBack matter.\n"}, builder)


def test_a_chapter_opens_with_a_line_of_download_links(project):
    app = _book(project)
    doctree = app.env.get_and_resolve_doctree("ch", app.builder, tags=app.tags)
    downloadlinks.add_download_line(app, doctree, "ch")
    section = next(iter(doctree.findall(lambda n: n.tagname == "section")))
    header_at = next(i for i, child in enumerate(section.children) if isinstance(child, tb.lesson_header))
    line = section[header_at + 1]
    assert "textbook-downloads" in line["classes"]
    assert [ref["refuri"] for ref in line.findall(lambda n: n.tagname == "reference")] == [
        "downloads/ch.pdf", "downloads/tiny.pdf", "downloads/tiny.epub"]
    assert CHAPTER_LINE in project.output("ch.html")


def test_back_matter_and_the_front_page_have_no_line(project):
    _book(project)
    assert "textbook-downloads" not in project.output("extra.html")
    assert "textbook-downloads" not in project.output("index.html")


def test_the_epub_has_no_download_line_and_its_answers_are_open(project):
    _book(project, "epub", conf='epub_theme = "textbook_epub"\n'
                                 'epub_theme_options = {"disclaimer": "For education only."}\n')
    page = project.output("ch.xhtml")
    assert "textbook-downloads" not in page
    assert '<div class="model-answer admonition">' in page and "<details" not in page
    assert '<footer class="textbook-disclaimer"><p>For education only.</p></footer>' in page
    assert "textbook-epub.css" in page


def test_the_latex_build_lists_the_chapters_for_the_splitter(project):
    app = _book(project, "latex")
    manifest = json.loads((app.outdir / "textbook-downloads.json").read_text(encoding="utf-8"))
    assert manifest["chapters"] == [{"docname": "ch", "title": "A Lesson", "file": "ch.pdf"}]
    assert manifest["module"]["pdf"] == "tiny.pdf" and manifest["directory"] == "downloads"
    # the footer notice is defined in the style file, empty until conf.py sets it
    assert r"\newcommand{\textbookfootnotice}{}" in (app.outdir / "textbook.sty").read_text(encoding="utf-8")


def test_the_theme_download_menu_offers_the_files(project):
    _book(project, conf='html_theme = "sphinx_book_theme"\nhtml_copy_source = False\n')
    page = project.output("ch.html")
    assert 'href="downloads/ch.pdf" target="_blank"\n   class="btn btn-sm btn-download-chapter-pdf-button' in page
    assert 'class="btn btn-sm btn-download-module-pdf-button' in page
    assert 'class="btn btn-sm btn-download-epub-button' in page
    assert "_sources/" not in page  # the source link would lead nowhere
    other = project.output("extra.html")
    assert "btn-download-chapter-pdf-button" not in other and "btn-download-epub-button" in other


# -- The splitter, on a small PDF made here ----------------------------------------------

def _page_with_text(writer: PdfWriter, text: str) -> None:
    page = writer.add_blank_page(200, 200)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 10 Tf 20 100 Td ({text}) Tj ET".encode())
    page[NameObject("/Contents")] = writer._add_object(stream)


def _module(build, chapters=("Alpha", "Beta"), outline=("Alpha", "Beta"), language=None):
    """A module PDF: a part page, then each chapter (two pages and a blank one), an appendix;
    given a language, with the metadata the LaTeX build writes (hyperref, conf.py)."""
    writer = PdfWriter()
    if language:
        writer.add_metadata({"/Title": "Module", "/Author": "Us", "/Subject": "Teaching",
                             "/Keywords": "one; two"})
        writer.root_object[NameObject("/Lang")] = TextStringObject(language)
        writer.create_viewer_preferences().display_doctitle = True
    _page_with_text(writer, "Part I")
    for title in chapters:
        _page_with_text(writer, f"{title} opens")
        _page_with_text(writer, f"{title} references")
        writer.add_blank_page(200, 200)
    _page_with_text(writer, "Key points")
    part = writer.add_outline_item(title="I Lessons", page_number=0)
    for number, title in enumerate(outline):
        chapter = writer.add_outline_item(title=title, page_number=1 + 3 * number, parent=part)
        writer.add_outline_item(title="References", page_number=2 + 3 * number, parent=chapter)
    writer.add_outline_item(title="Key points", page_number=1 + 3 * len(chapters), parent=part)
    (build / "latex").mkdir(parents=True)
    (build / "epub").mkdir()
    manifest = {"module": {"title": "Module", "author": "Us", "pdf": "m.pdf", "epub": "m.epub"},
                "directory": "downloads",
                "chapters": [{"docname": f"chapters/{t.lower()}", "title": t, "file": f"{t.lower()}.pdf"}
                             for t in chapters]}
    (build / "latex" / "textbook-downloads.json").write_text(json.dumps(manifest))
    with (build / "latex" / "m.pdf").open("wb") as stream:
        writer.write(stream)
    (build / "epub" / "m.epub").write_bytes(b"PK")


def test_each_chapter_becomes_a_pdf_of_its_own_pages(tmp_path, capsys):
    _module(tmp_path)
    assert downloads.main(["--build", str(tmp_path)]) == 0
    out = tmp_path / "html" / "downloads"
    assert sorted(p.name for p in out.iterdir()) == ["alpha.pdf", "beta.pdf", "m.epub", "m.pdf"]
    beta = PdfReader(out / "beta.pdf")
    assert [page.extract_text() for page in beta.pages] == ["Beta opens", "Beta references"]
    assert beta.metadata.title == "Beta" and beta.metadata.subject == "Module"
    assert [item.title for item in beta.outline if not isinstance(item, list)] == ["Beta"]
    assert "pages 5-6 of the module" in capsys.readouterr().out


def test_a_chapter_pdf_carries_the_module_metadata_with_its_own_title(tmp_path):
    _module(tmp_path, language="en")
    assert downloads.main(["--build", str(tmp_path)]) == 0
    alpha = PdfReader(tmp_path / "html" / "downloads" / "alpha.pdf")
    metadata = alpha.metadata
    assert (metadata.title, metadata.author, metadata["/Keywords"]) == ("Alpha", "Us", "one; two")
    assert metadata.subject == "Module \N{EM DASH} Teaching"
    assert alpha.root_object["/Lang"] == "en" and alpha.viewer_preferences.display_doctitle


def test_a_chapter_missing_from_the_outline_is_one_clear_line(tmp_path, capsys):
    _module(tmp_path, outline=("Alpha", "Gamma"))
    assert downloads.main(["--build", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("downloads: error: ") and "Traceback" not in err
    assert "no outline entry titled 'Beta' (chapters/beta)" in err
    assert not (tmp_path / "html").exists()


@pytest.mark.parametrize(("missing", "message"), [
    ("latex/textbook-downloads.json", "build the PDF first (make pdf)"),
    ("latex/m.pdf", "build the PDF first (make pdf)"),
    ("epub/m.epub", "build the EPUB first (make epub)"),
])
def test_a_file_not_built_yet_is_named(tmp_path, capsys, missing, message):
    _module(tmp_path)
    (tmp_path / missing).unlink()
    assert downloads.main(["--build", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / missing} not found: {message}" in err


def test_a_broken_pdf_is_named_not_a_traceback(tmp_path, capsys):
    _module(tmp_path)
    (tmp_path / "latex" / "m.pdf").write_bytes(b"not a PDF")
    assert downloads.main(["--build", str(tmp_path)]) == 1
    assert "m.pdf cannot be read" in capsys.readouterr().err
