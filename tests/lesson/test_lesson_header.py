"""The lesson header from YAML front matter; broken front matter is an error at its line."""

from conftest import lesson
from textbook.lesson import nodes as tb


def test_header_from_front_matter(project):
    app = project.build({"ch.md": lesson()})
    assert project.warnings() == ""
    (header,) = app.env.get_doctree("ch").findall(tb.lesson_header)
    assert header["lesson_id"] == "L14.4"
    assert header["context"] == "Stage 14 · Psychedelics & Neuroplastic Renewal"
    assert header["position"] == "Concept 4 of 5"
    assert header["reviewed"] == "2026-01-31"
    html = project.output("ch.html")
    assert '<span class="lesson-id">L14.4</span>' in html
    assert "Last reviewed 31 January 2026" in html


def test_header_in_latex_is_escaped(project):
    project.build({"ch.md": lesson(subtitle="Risks & 100% benefits")}, builder="latex")
    assert (r"\textbooklessonheader{L14.4}{Stage 14 · Psychedelics \& Neuroplastic Renewal}"
            r"{Concept 4 of 5}{Risks \& 100\% benefits}{Last reviewed 31 January 2026}"
            in project.output("tiny.tex"))


def test_deep_dive_header(project):
    source = lesson(lesson_id="KS4", kind="deep-dive", stage=None, concept=None, series="ketamine", part=4)
    source = source.replace("{lesson}`L14.4`", "{lesson}`KS4`")
    app = project.build({"ch.md": source})
    assert project.warnings() == ""
    (header,) = app.env.get_doctree("ch").findall(tb.lesson_header)
    assert (header["context"], header["position"]) == ("Ketamine in Mental Health series", "Part 4")


def test_broken_yaml_names_file_and_line(project):
    source = lesson().replace("  subtitle: Its subtitle", "  subtitle: [unclosed")
    project.build({"ch.md": source})
    assert "ch.md:1: WARNING: Malformed YAML [myst.topmatter]" in project.warnings()


def test_missing_field_names_the_lesson_block(project):
    project.build({"ch.md": lesson(subtitle=None)})
    assert ("ch.md:2: ERROR: lesson front matter: missing 'subtitle' (a concept needs: "
            "id, kind, stage, concept, title, subtitle, reviewed)") in project.warnings()


def test_wrong_id_names_the_id_line(project):
    project.build({"ch.md": lesson(lesson_id="L14.7")})
    assert ("ch.md:3: ERROR: lesson front matter: id 'L14.7' does not match stage 14, concept 4: "
            "it should be 'L14.4'") in project.warnings()


def test_bad_date_and_unknown_key(project):
    project.build({"ch.md": lesson(reviewed="last spring", colour="violet")})
    warnings = project.warnings()
    assert "ch.md:9: ERROR: lesson front matter: 'reviewed' must be a date as YYYY-MM-DD" in warnings
    assert "ch.md:10: ERROR: lesson front matter: unknown key 'colour'" in warnings


def test_title_must_match_heading(project):
    source = lesson().replace("# A Lesson", "# Another Lesson")
    project.build({"ch.md": source})
    assert ("ch.md:7: ERROR: lesson front matter: title 'A Lesson' differs from the chapter heading "
            "'Another Lesson'") in project.warnings()


def test_duplicate_lesson_id_is_an_error(project):
    project.build({"a.md": lesson(), "b.md": lesson(title="B")})
    assert "ERROR: lesson id L14.4 is already used by" in project.warnings()


def test_missing_bibliography_is_an_error(project):
    source = lesson().replace(":::{bibliography}\n:filter: docname in docnames\n:::\n", "")
    project.build({"ch.md": source})
    assert "ch.md:2: ERROR: lesson L14.4 has no {bibliography}" in project.warnings()
