"""{prove-it} with its {answer}: collapsed in HTML (<details>, no JavaScript), printed in the PDF."""

from conftest import lesson
from textbook.lesson import nodes as tb


def test_answer_is_a_closed_details_element(project):
    app = project.build({"ch.md": lesson()})
    assert project.warnings() == ""
    (case,) = app.env.get_doctree("ch").findall(tb.prove_it)
    assert case[0].astext() == "Prove it: A case"
    (answer,) = case.findall(tb.model_answer)
    assert answer["collapsible"] == "closed"
    html = project.output("ch.html")
    assert '<details class="model-answer admonition">' in html
    assert '<summary class="admonition-title">Model answer</summary>' in html
    assert "<script" not in html.split('<details class="model-answer')[1].split("</details>")[0]


def test_answer_is_printed_inside_its_case_in_latex(project):
    project.build({"ch.md": lesson()}, builder="latex")
    tex = project.output("tiny.tex")
    case = tex.split(r"\begin{textbookproveit}{Prove it: A case}")[1].split(r"\end{textbookproveit}")[0]
    assert r"\textbookanswerheading{Model answer}" in case
    assert "The model answer." in case


def test_case_without_answer_is_an_error_naming_file_and_line(project):
    source = lesson().replace(":::{answer}\nThe model answer.\n:::\n", "")
    project.build({"ch.md": source})
    line = source.splitlines().index("::::{prove-it} A case") + 1
    assert (f"ch.md:{line}: ERROR: a prove-it case needs exactly one {{answer}} directly inside it (found 0)"
            in project.warnings())


def test_answer_outside_a_case_is_an_error(project):
    source = lesson(":::{answer}\nAn answer to no question.\n:::\n")
    project.build({"ch.md": source})
    line = source.splitlines().index(":::{answer}") + 1
    assert f"ch.md:{line}: ERROR: an {{answer}} belongs inside a {{prove-it}} case" in project.warnings()
