"""{connects-to} and the {lesson} role: links by lesson id; an unknown id is an error."""

from sphinx import addnodes

from conftest import lesson
from textbook.lesson import nodes as tb

OTHER = lesson(lesson_id="L14.3", concept=3, title="The Other Lesson")


def test_lesson_link_is_titled_from_the_target_header(project):
    source = lesson().replace("{lesson}`L14.4`: itself", "{lesson}`L14.3`: the other")
    app = project.build({"ch.md": source, "other.md": OTHER})
    assert project.warnings() == ""
    (box,) = app.env.get_doctree("ch").findall(tb.connects_to)
    assert box[0].astext() == "This connects to"
    html = project.output("ch.html")
    assert ('<a class="reference internal" href="other.html" title="L14.3 The Other Lesson">'
            '<span class="lesson-ref">L14.3 The Other Lesson</span></a>') in html


def test_lesson_link_in_latex(project):
    source = lesson().replace("{lesson}`L14.4`: itself", "{lesson}`L14.3`: the other")
    project.build({"ch.md": source, "other.md": OTHER}, builder="latex")
    tex = project.output("tiny.tex")
    assert r"\begin{textbookconnects}{This connects to}" in tex
    assert "L14.3 The Other Lesson" in tex


def test_unknown_lesson_is_an_error_and_keeps_the_text(project):
    source = lesson().replace("{lesson}`L14.4`: itself", "{lesson}`L14.9`: nowhere")
    project.build({"ch.md": source})
    line = source.splitlines().index("- {lesson}`L14.9`: nowhere, for the test.") + 1
    assert (f"ch.md:{line}: ERROR: unknown lesson 'L14.9' in a {{lesson}} link (known lessons: L14.4)"
            in project.warnings())
    assert "L14.9" in project.output("ch.html")


def test_item_without_a_lesson_link_is_an_error(project):
    source = lesson().replace("- {lesson}`L14.4`: itself, for the test.", "- A lesson somewhere.")
    project.build({"ch.md": source})
    line = source.splitlines().index(":::{connects-to}") + 1
    assert f"ch.md:{line}: ERROR: each connects-to item must link a lesson" in project.warnings()


def test_role_makes_a_pending_reference(project):
    app = project.build({"ch.md": lesson()})
    refs = [r for r in app.env.get_doctree("ch").findall(addnodes.pending_xref) if r["reftype"] == "lesson"]
    assert [r["reftarget"] for r in refs] == ["L14.4"]
