"""The evidence wing: records, {evidence-figure} and {evidence-table} in tiny projects."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, lesson
from textbook.evidence import build as evidence_build
from textbook.evidence import describe, records, rules

RECORDS = textwrap.dedent("""\
    - id: doe2020
      cite: doe2020trial
      label: Doe 2020
      kind: trial
      indication: ptsd
      population: Adults with PTSD
      design: rct-parallel
      blinding: double
      n_randomised: 40
      n_analysed: 38
      arms:
        - drug: ketamine
          dose: 0.5 mg/kg
          route: IV
          schedule: single infusion
      comparator: midazolam
      primary_outcome:
        instrument: CAPS-5
        timepoint: 24 hours
      effect:
        measure: mean difference
        estimate: 5.5
        ci: [1.0, 10.0]
        p: "0.02"
      direction: positive
      onset:
        value: 4
        unit: hours
      lasts:
        value: 7
        unit: days
      durability: Gone by day 14
      verified: a test record
    - id: roe2021
      cite: doe2020trial
      label: Roe 2021
      kind: trial
      indication: ptsd
      population: Veterans with PTSD
      design: rct-parallel
      n_randomised: 120
      arms:
        - drug: ketamine
      comparator: saline
      primary_outcome:
        instrument: PCL-5
        timepoint: 4 weeks
      effect:
        measure: mean difference
        estimate: 1.0
      result: No difference from placebo
      direction: negative
      onset:
        value: 2
        unit: weeks
      durability: not measured
      verified: a test record
    """)


def figure_page(kind: str, options: str = ":trials: doe2020, roe2021") -> str:
    return lesson(f"""
        :::{{evidence-figure}}
        :kind: {kind}
        {options}
        :name: fig-test

        What the test figure shows.
        :::

        """)


def build(project, text: str, builder: str = "html", evidence_text: str = RECORDS):
    project.path.mkdir(parents=True, exist_ok=True)
    (project.path / "evidence").mkdir(exist_ok=True)
    (project.path / "evidence" / "ptsd.yaml").write_text(evidence_text)
    return project.build({"ch.md": text}, builder=builder)


@pytest.mark.parametrize("kind", ["forest", "window", "map"])
def test_a_figure_has_image_alt_caption_citations_and_data(project, kind):
    app = build(project, figure_page(kind))
    assert project.warnings() == ""
    doctree = app.env.get_doctree("ch")
    from docutils import nodes
    figure = next(iter(doctree.findall(nodes.figure)))
    assert "evidence-figure" in figure["classes"]
    image = next(iter(figure.findall(nodes.image)))
    assert image["uri"].startswith("_build/evidence-figures/evidence-") and image["uri"].endswith(".svg")
    assert "PTSD" in image["alt"]
    assert figure.next_node(nodes.caption).astext() == "What the test figure shows."
    from sphinx import addnodes
    sources = [x["reftarget"] for x in figure.next_node(nodes.legend).findall(addnodes.pending_xref)]
    assert sources == ["doe2020trial"]
    box = next(iter(doctree.findall(evidence_build.evidence_data)))
    assert box["collapsible"] == "closed"
    html = project.output("ch.html")
    assert '<details class="evidence-data admonition">' in html
    assert "<th" in html and "Doe 2020" in html
    # The caption's citation is numbered and links to this chapter's own reference list.
    caption = html[html.index("<figcaption>"):html.index("</figcaption>")]
    assert '<div class="legend">' in caption
    target = caption.split('class="reference internal" href="#', 1)[1].split('"', 1)[0]
    assert f'id="{target}"' in html and ">1</a>]" in caption


def test_latex_prints_the_data_open_and_a_pdf_figure(project):
    build(project, figure_page("forest"), builder="latex")
    tex = next(Path(project.app.outdir).glob("*.tex")).read_text()
    assert "\\begin{textbookevidencedata}{Show the data}" in tex
    assert ".pdf}" in tex and "evidence-forest-" in tex


def test_an_unchanged_rebuild_draws_nothing_and_figures_are_byte_identical(project):
    build(project, figure_page("forest"))
    drawn = evidence_build.STATS["drawn"]
    figures = sorted((project.path / "_build" / "evidence-figures").glob("*.svg"))
    first = [f.read_bytes() for f in figures]
    project.rebuild()
    assert evidence_build.STATS["drawn"] == drawn
    for path in figures:
        path.unlink()
    project.build({"ch.md": figure_page("forest") + "\n"})
    assert evidence_build.STATS["drawn"] == drawn + 1
    assert [f.read_bytes() for f in figures] == first


def test_the_trial_table_has_a_header_row_from_the_records(project):
    app = build(project, lesson("""
        :::{evidence-table} Trials in PTSD
        :indications: ptsd
        :::

        """))
    assert project.warnings() == ""
    html = project.output("ch.html")
    for column in describe.TABLE_COLUMNS:
        assert f"<th class=\"head\"><p>{column}</p></th>" in html
    assert "40 (38 analysed)" in html and "No difference from placebo" in html
    from docutils import nodes
    assert len(list(app.env.get_doctree("ch").findall(nodes.thead))) == 1


def test_an_unknown_record_is_an_error_at_its_line(project):
    build(project, figure_page("forest", ":trials: doe2020, ghost"))
    assert "ch.md:15: ERROR: no evidence record with id 'ghost' (records are in evidence/*.yaml)" \
        in project.warnings()


def test_a_bad_record_is_reported_with_its_file_and_line(project):
    bad = RECORDS.replace("n_randomised: 40", "n_randomised: -4")
    build(project, lesson(), evidence_text=bad)
    assert ("evidence/ptsd.yaml:9: ERROR: doe2020: n_randomised must be a positive whole number (got '-4') "
            "(evidence-n)") in project.warnings()
    assert "Traceback" not in project.warnings()


def test_alt_text_says_what_the_forest_shows():
    found, problems = records.parse(RECORDS, "evidence/ptsd.yaml")
    assert problems == []
    assert describe.alt_forest(found) == (
        "Forest plot of 2 PTSD studies. Ketamine did better than its comparator in 1 of 2 (Doe 2020); "
        "the largest, Roe 2021 (n=120), found no difference. "
        "Roe 2021 reported no confidence interval, so none is drawn.")


def test_alt_text_keeps_a_drug_name_in_capitals():
    found, _ = records.parse(RECORDS.replace("drug: ketamine", "drug: MDMA"), "evidence/ptsd.yaml")
    assert describe.alt_forest(found).startswith("Forest plot of 2 PTSD studies. MDMA did better")


def test_rules_catch_a_ci_that_misses_its_estimate():
    found, _ = records.parse(RECORDS.replace("ci: [1.0, 10.0]", "ci: [6.0, 10.0]"), "e.yaml")
    assert [p.message for p in rules.validate(found, {"doe2020trial"})] == [
        "doe2020: the confidence interval [6.0, 10.0] does not contain the estimate 5.5"]


def test_the_readme_lists_the_vocabularies_the_rules_use():
    readme = (ROOT / "evidence" / "README.md").read_text()
    for name, values in (("kind", records.KINDS), ("design", records.DESIGNS),
                         ("direction", records.DIRECTIONS), ("indication", records.INDICATIONS)):
        listed = readme.split(f"- `{name}`:", 1)[1].split("\n- ", 1)[0]
        assert [v.strip() for v in listed.replace("\n", " ").split(",")] == list(values), name


def test_every_record_in_the_book_is_valid_and_verified():
    root = ROOT
    found, problems = records.read_all(root)
    from textbook.tools.sources import read_bib
    keys = set(read_bib((root / "references.bib").read_text()))
    assert problems + rules.validate(found, keys) == []
    assert all(str(r.get("verified")).startswith("http") for r in found)


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "tests" / "bad_input").glob("*.yaml")))
def test_a_bad_record_in_a_build_is_an_error_without_a_traceback(project, name):
    bad = (ROOT / "tests" / "bad_input" / name).read_text()
    build(project, lesson(), evidence_text=bad)
    warnings = project.warnings()
    assert "evidence/ptsd.yaml:" in warnings and "ERROR" in warnings
    assert "Traceback" not in warnings and "Exception occurred" not in warnings


def _figures_in_chapters() -> int:
    root = ROOT
    return sum(path.read_text(encoding="utf-8").count(":::{evidence-figure}")
               for path in (root / "chapters").glob("*.md"))


def test_the_book_shows_every_figure_in_html_pdf_and_epub(book_build):
    """Every {evidence-figure} of the chapters: an SVG with alt text in the HTML, a vector PDF
    and its data in the PDF, open in the EPUB."""
    import re
    import subprocess
    import zipfile
    expected = _figures_in_chapters()
    assert expected >= 4
    html = "".join(p.read_text(encoding="utf-8") for p in (book_build["out"] / "html" / "chapters").glob("*.html"))
    images = re.findall(r'<figure class="evidence-figure[^>]*>\s*<img alt="([^"]+)" src="([^"]+)"', html)
    assert len(images) == expected and all(src.endswith(".svg") and len(alt) > 80 for alt, src in images)
    assert html.count('<details class="evidence-data admonition">') == expected
    tex = next((book_build["out"] / "latex").glob("*.tex")).read_text(encoding="utf-8")
    assert len(re.findall(r"\\sphinxincludegraphics\{\{evidence-[a-z]+-[0-9a-f]+\}\.pdf\}", tex)) == expected
    assert tex.count("\\begin{textbookevidencedata}{Show the data}") == expected
    assert book_build["pdf"] is not None, book_build["pdf_log"]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(book_build["pdf"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert text.count("Show the data") == expected
    # Drawn as vectors: the figures add no raster image to the PDF.
    assert "Time after the first dose" in text and "Meta-analysis" in text
    epub = next((book_build["out"] / "epub").glob("*.epub"))
    with zipfile.ZipFile(epub) as archive:
        pages = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xhtml"))
        assert sum(n.endswith(".svg") and "evidence-" in n for n in archive.namelist()) >= 3
    assert "evidence-data admonition" in pages and '<details class="evidence-data' not in pages
