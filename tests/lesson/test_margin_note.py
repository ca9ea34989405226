"""{margin-note}: a kind from a fixed list; in the margin in HTML, a styled box in LaTeX."""

from conftest import lesson
from textbook.lesson import nodes as tb

NOTE = """
:::{margin-note} ahead-of-evidence
Clinics offer it before the trials have read out.
:::
"""


def test_margin_note_is_an_admonition_in_the_margin(project):
    app = project.build({"ch.md": lesson(NOTE)})
    assert project.warnings() == ""
    doctree = app.env.get_doctree("ch")
    (note,) = doctree.findall(tb.margin_note)
    assert note["kind"] == "ahead-of-evidence"
    assert note[0].astext() == "Where practice runs ahead of the evidence"
    assert "margin" in note["classes"]
    html = project.output("ch.html")
    assert '<div class="margin-note margin margin-note-ahead-of-evidence admonition">' in html


def test_margin_note_title_option_and_latex(project):
    source = lesson(":::{margin-note} caution\n:title: Blood pressure & 50% rises\nMonitor it.\n:::\n")
    project.build({"ch.md": source}, builder="latex")
    assert project.warnings() == ""
    tex = project.output("tiny.tex")
    assert r"\begin{textbookmarginnote}{caution}{Blood pressure \& 50\% rises}" in tex
    assert r"\marginpar" not in tex


def test_unknown_kind_is_an_error_naming_file_and_line(project):
    source = lesson(":::{margin-note} rumour\nHeard it somewhere.\n:::\n")
    project.build({"ch.md": source})
    line = source.splitlines().index(":::{margin-note} rumour") + 1
    assert f"ch.md:{line}: ERROR: unknown margin-note kind 'rumour'" in project.warnings()
    assert "evidence-supports" in project.warnings()  # it says what is allowed


def test_margin_note_without_content_is_an_error(project):
    source = lesson(":::{margin-note} caution\n:::\n")
    project.build({"ch.md": source})
    line = source.splitlines().index(":::{margin-note} caution") + 1
    assert f"ch.md:{line}: ERROR: 'margin-note' needs content" in project.warnings()
