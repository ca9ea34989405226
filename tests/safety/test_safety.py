"""Safe to build strangers' pull requests: every bad-input case through the HTML, LaTeX and EPUB
builds of a tiny project, with a planted secret beside it: an error at the chapter's line, no
traceback, nothing unsafe or foreign in _build. Accept cases build cleanly with their text intact."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TINY_BIB, TINY_CONF, TinyProject, lesson
from textbook.safety import rules, scan

CORPUS = ROOT / "tests" / "bad_input"
SECRET = "TEXTBOOK-PLANTED-SECRET-5f1c0a"
#: The fonts the book's PDF uses, so the glyph check and a PDF build see what the book sees.
FONTS = '''
copyright = "2026, the tiny book's authors"
version = "1"
latex_elements = {"fontpkg": r"""
\\setmainfont{TeX Gyre Pagella}
\\setsansfont{TeX Gyre Heros}[Scale=MatchLowercase]
\\setmonofont{DejaVu Sans Mono}[Scale=MatchLowercase]
"""}
'''
BUILD_EXPECTED = [tuple(line.split("\t", 1)) for line in (CORPUS / "BUILD_EXPECTED.tsv").read_text().splitlines()
                  if line and not line.startswith("#")]
TRACEBACK = ("Traceback", "Exception occurred", "Extension error", "exception:")


def plant(tmp_path: Path) -> TinyProject:
    """A tiny book in tmp_path/project (chapters in chapters/, as in the book) with secrets beside it."""
    (tmp_path / "secret.txt").write_text(f"password={SECRET}\n")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    project = TinyProject(tmp_path / "project")
    (project.path / "chapters").mkdir(parents=True)
    return project


def write(project: TinyProject, chapter: bytes, bib: bytes = b"", extra: dict[str, str] | None = None) -> None:
    (project.path / "conf.py").write_text(TINY_CONF + FONTS)
    (project.path / "refs.bib").write_bytes(TINY_BIB.encode() + b"\n" + bib)
    pages = ["chapters/ch", *(name[:-3] for name in (extra or {}) if name.endswith(".md"))]
    (project.path / "index.md").write_text("# Book\n\n```{toctree}\n" + "\n".join(pages) + "\n```\n")
    (project.path / "chapters" / "ch.md").write_bytes(chapter)
    for name, text in (extra or {}).items():
        (project.path / name).write_text(text)


def build_all(project: TinyProject, builders=("html", "latex", "epub")) -> dict[str, str]:
    logs = {}
    for builder in builders:
        shutil.rmtree(project.path / "_build" / "doctrees", ignore_errors=True)  # each builder reads afresh
        project.rebuild(builder)
        logs[builder] = project.warnings()
    return logs


def assert_nothing_unsafe_or_foreign(project: TinyProject) -> None:
    build = project.path / "_build"
    for path in build.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), f"the planted secret reached {path}"
    findings = scan.scan_files([p for p in build.rglob("*") if p.is_file() and p.suffix in
                                (".html", ".xhtml", ".svg", ".epub") and not scan.is_theme_template(p)])
    assert findings == [], findings


@pytest.mark.parametrize("name, expected", BUILD_EXPECTED, ids=[name for name, _ in BUILD_EXPECTED])
def test_every_case_builds_safely_in_every_format(tmp_path, name, expected):
    project = plant(tmp_path)
    source = (CORPUS / name).read_bytes()
    if name.endswith(".bib"):
        write(project, lesson().encode(), bib=source)
    else:
        write(project, source)
    logs = build_all(project)
    for builder, log in logs.items():
        assert not any(word in log for word in TRACEBACK), (builder, log)
        if expected == "ok":
            assert log.strip() == "", (builder, log)
        elif "latex only" not in expected or builder == "latex":
            assert expected.split(" [")[0] in log, (builder, log)
    assert_nothing_unsafe_or_foreign(project)
    if expected == "ok":
        assert "The model answer." in project.output("../html/chapters/ch.html")
        tex = next(Path(project.path / "_build" / "latex").glob("*.tex")).read_text(encoding="utf-8")
        assert "The one\\sphinxhyphen{}paragraph summary." in tex


def test_the_corpus_covers_the_families_of_issue_13():
    names = {name for name, _ in BUILD_EXPECTED}
    for family in ("outside", "environ", "handler", "eval-rst", "javascript", "front-matter", "cite",
                   "bib", "heading", "nesting", "table", "gif", "glyph", "accept-bom", "accept-crlf"):
        assert any(family in name for name in names), family
    assert len(list(CORPUS.glob("[0-9]*"))) >= 70


def test_a_symlink_out_of_the_book_is_refused_by_checker_and_build(tmp_path):
    from textbook.tools import check

    project = plant(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("secret.txt", "secret.png"):
        shutil.copy(tmp_path / name, outside / name)
    os.symlink(outside, project.path / "chapters" / "shared")
    text = lesson("```{literalinclude} shared/secret.txt\n```\n\n![A chart](shared/secret.png)\n")
    write(project, text.encode())
    logs = build_all(project, ("html", "epub"))
    for log in logs.values():
        assert "chapters/ch.md:14: ERROR: the included file 'shared/secret.txt' is outside the book" in log
        assert "chapters/ch.md:17: ERROR: the image 'shared/secret.png' is outside the book" in log
    assert_nothing_unsafe_or_foreign(project)
    (project.path / "references.bib").write_text(TINY_BIB)
    found = check.check([project.path / "chapters" / "ch.md"], project.path)
    assert any("ch.md:14: error: the included file 'shared/secret.txt' is outside the book" in line
               for line in found), found


def test_an_svg_with_a_script_is_refused_and_a_plain_one_goes_into_the_pdf_as_pdf(tmp_path):
    project = plant(tmp_path)
    plain = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'
    active = plain.replace("<rect", '<script>alert(1)</script><rect onclick="x()"')
    text = lesson("```{figure} plain.svg\n:alt: A box\n\nA plain drawing.\n```\n\n"
                  "```{figure} active.svg\n:alt: A box\n\nAn active drawing.\n```\n")
    write(project, text.encode(), extra={"chapters/plain.svg": plain, "chapters/active.svg": active})
    logs = build_all(project, ("html", "latex"))
    for log in logs.values():
        assert "chapters/ch.md:20: ERROR: the drawing 'active.svg' holds a <script>" in log
        assert "plain.svg" not in log
    tex = next((project.path / "_build" / "latex").glob("*.tex")).read_text(encoding="utf-8")
    assert r"\sphinxincludegraphics{{plain}.pdf}" in tex and "{active}" not in tex
    assert (project.path / "_build" / "latex" / "plain.pdf").read_bytes().startswith(b"%PDF")


def test_two_chapters_with_one_title_fail_the_build(tmp_path):
    project = plant(tmp_path)
    write(project, lesson().encode(), extra={"chapters/twin.md": lesson(lesson_id="L14.3", concept=3)})
    (project.path / "index.md").write_text("# Book\n\n```{toctree}\n:caption: Part I. Lessons\n\n"
                                           "chapters/ch\nchapters/twin\n```\n")
    log = build_all(project, ("latex",))["latex"]
    assert "chapters/twin.md: ERROR: this chapter has the same title as chapters/ch" in log
    from textbook.tools import check

    found = check.check([project.path / "chapters" / "twin.md"], project.path)
    assert ("chapters/twin.md:12: error: 'A Lesson' is also the title of ch.md: each chapter's title must be "
            "unique (its PDF is cut from the module by title) (title-unique)") in found, found


def test_included_environment_of_a_build_with_a_planted_secret_is_refused(tmp_path):
    """A separate process, so /proc/self/environ of the build holds the planted secret."""
    project = plant(tmp_path)
    write(project, (CORPUS / "36-literalinclude-environ.md").read_bytes())
    env = {**os.environ, "TEXTBOOK_PLANTED_SECRET": SECRET, "PYTHONPATH": str(ROOT / "_ext")}
    for builder in ("html", "latex"):
        run = subprocess.run([sys.executable, "-m", "sphinx", "-b", builder, "-q", str(project.path),
                              str(project.path / "_build" / builder)], capture_output=True, text=True, env=env)
        assert "chapters/ch.md:37: ERROR: the included file" in run.stderr, run.stderr
        assert "Traceback" not in run.stderr
    assert_nothing_unsafe_or_foreign(project)


def test_the_build_environment_holds_only_the_allowed_variables():
    env = {**os.environ, "TEXTBOOK_PLANTED_SECRET": SECRET, "AWS_SECRET_ACCESS_KEY": SECRET}
    run = subprocess.run(["bash", str(ROOT / "scripts" / "clean-env"), sys.executable, "-c",
                          "import os; print(sorted(os.environ.items()))"],
                         capture_output=True, text=True, env=env, check=True)
    assert SECRET not in run.stdout
    names = {name for name, _ in eval(run.stdout)}  # noqa: S307 our own printout
    assert "PATH" in names and "HOME" in names and names <= set(rules.BUILD_ENVIRONMENT) | {"PWD", "SHLVL", "_"}


def test_the_scan_finds_what_it_must(tmp_path):
    page = ('<html><head><meta http-equiv="refresh" content="0"></head><body>'
            '<button onclick="window.print()">Print</button>'
            '<article><p><a href="javascript:alert(1)">x</a><img src="data:image/png;base64,AA" onerror="y()">'
            '<script src="_static/x.js"></script><iframe src="https://example.org/"></iframe></p></article>'
            '<script src="https://cdn.example.org/x.js"></script></body></html>')
    found = "\n".join(f.message for f in scan.scan_markup("p.html", page))
    for expected in ('<meta http-equiv="refresh">', '<a href="javascript:alert(1)">: link scheme',
                     '<img src="data:image/png;base64,AA">: a page loads only files of the book',
                     'event-handler attribute onerror="y()"', "a <script> inside the page's content",
                     "<iframe> is not allowed", '<script src="https://cdn.example.org/x.js"> is not one of'):
        assert expected in found, found
    assert "window.print" not in found
    # The 404 page links the theme's scripts from the site's root, so it works at any depth.
    assert not scan.scan_markup("404.html", '<html><head><script src="/book/_static/doctools.js?v=1">'
                                '</script></head><body></body></html>')


# -- textbook.downloads: one chapter's download never serves another's pages ---------------------

def test_downloads_refuse_two_chapters_with_one_title(tmp_path, capsys):
    from publish.test_downloads import _module

    from textbook.publish import downloads

    _module(tmp_path, chapters=("Alpha", "alpha "), outline=("Alpha", "Alpha"))
    assert downloads.main(["--build", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "chapters/alpha  and chapters/alpha have the same title 'alpha '" in err
    assert "Traceback" not in err and not (tmp_path / "html").exists()


def test_downloads_name_a_broken_manifest_without_a_traceback(tmp_path, capsys):
    from publish.test_downloads import _module

    from textbook.publish import downloads

    _module(tmp_path)
    (tmp_path / "latex" / "textbook-downloads.json").write_text('{"module": ')
    assert downloads.main(["--build", str(tmp_path)]) == 1
    assert "textbook-downloads.json is not what the LaTeX build writes" in capsys.readouterr().err


def test_a_latex_error_is_mapped_back_to_the_chapter_line(tmp_path):
    from textbook.safety import texlog

    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "x.md").write_text("# X\n\n- level 4\n   - level 5\n")
    latex = tmp_path / "latex"
    latex.mkdir()
    (latex / "book.tex").write_text("\\begin{document}\n\\label{\\detokenize{chapters/x::doc}}\n"
                                    "\\begin{itemize}\n\\item {}\n\\sphinxAtStartPar\nlevel 5\n")
    (latex / "book.log").write_text("./book.tex:3: LaTeX Error: Too deeply nested.\n")
    assert texlog.explain(latex, tmp_path) == [
        "chapters/x.md:4: LaTeX error: LaTeX Error: Too deeply nested. (book.tex:3)"]


def test_a_rule_that_fails_on_one_chapter_does_not_stop_the_checker(tmp_path, monkeypatch):
    from textbook.tools import check

    (tmp_path / "chapters").mkdir()
    (tmp_path / "conf.py").write_text((ROOT / "conf.py").read_text())
    (tmp_path / "references.bib").write_text(TINY_BIB)
    (tmp_path / "chapters" / "a.md").write_text(lesson())
    (tmp_path / "chapters" / "b.md").write_text(lesson().replace("{cite:p}`doe2020trial`", "{cite:p}`ghost`"))
    anchor = next(r for r in check.RULES if r.id == "one-anchor")

    def broken(ch):
        if ch.path.name == "a.md":
            raise RecursionError("a strange input")
        return iter(())
    monkeypatch.setattr(anchor, "check", broken)
    out = check.check(sorted((tmp_path / "chapters").glob("*.md")), tmp_path)
    assert ("chapters/a.md:1: error: the checker could not apply this rule to this file (RecursionError: "
            "a strange input); please report it (one-anchor)") in out
    assert any(line.startswith("chapters/b.md:15: error: citation key 'ghost'") for line in out), out
