"""{anchor}: exactly one one-paragraph summary per lesson, gathered on the Key points page."""

from conftest import lesson
from textbook.lesson import nodes as tb


def test_anchor_renders_and_is_collected(project):
    app = project.build({"ch.md": lesson(), "keys.md": "# Keys\n\n:::{key-points}\n:::\n"})
    assert project.warnings() == ""
    (anchor,) = app.env.get_doctree("ch").findall(tb.anchor_summary)
    assert anchor[0].astext() == "The anchor"
    assert "The one-paragraph summary." in project.output("keys.html")
    assert '<div class="anchor-summary admonition">' in project.output("ch.html")


def test_anchor_latex_environment(project):
    project.build({"ch.md": lesson()}, builder="latex")
    assert r"\begin{textbookanchor}{The anchor}" in project.output("tiny.tex")


def test_missing_anchor_is_an_error_naming_file_and_line(project):
    source = lesson().replace(":::{anchor}\nThe one-paragraph summary.\n:::\n", "")
    project.build({"ch.md": source})
    assert "ch.md:2: ERROR: lesson L14.4 has no {anchor}: every lesson needs exactly one" in project.warnings()


def test_second_anchor_is_an_error_at_the_second(project):
    source = lesson(":::{anchor}\nA first summary.\n:::\n")
    project.build({"ch.md": source})
    lines = source.splitlines()
    second = [i for i, text in enumerate(lines, 1) if text == ":::{anchor}"][1]
    assert f"ch.md:{second}: ERROR: lesson L14.4 has a second {{anchor}}" in project.warnings()


def test_anchor_of_two_paragraphs_is_an_error(project):
    source = lesson().replace("The one-paragraph summary.", "One.\n\nTwo.")
    project.build({"ch.md": source})
    line = source.splitlines().index(":::{anchor}") + 1
    assert f"ch.md:{line}: ERROR: the anchor must be exactly one paragraph (found 2 blocks)" in project.warnings()


def test_anchor_outside_a_lesson_is_an_error(project):
    project.build({"page.md": "# Page\n\n:::{anchor}\nA summary.\n:::\n"})
    assert "page.md:3: ERROR: 'anchor_summary' is a lesson part" in project.warnings()
