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
        "the largest, Roe 2021 (n=120), found no significant difference. "
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
                         ("direction", records.DIRECTIONS), ("favoured", records.FAVOURED),
                         ("indication", records.INDICATIONS)):
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


# -- How numbers, times, arms and results are put into words (issue 11 review) --------------------

def _parsed(text: str = RECORDS) -> list:
    found, problems = records.parse(text, "evidence/ptsd.yaml")
    assert problems == []
    return found


def test_numbers_keep_the_decimals_the_record_gives():
    doe = _parsed(RECORDS.replace("estimate: 5.5", "estimate: 4.0").replace("ci: [1.0, 10.0]",
                                                                             "ci: [-0.60, 7.31]"))[0]
    assert describe.effect(doe) == "Mean difference 4.0 (95% CI \u22120.60 to 7.31); p = 0.02"


def test_times_show_in_the_unit_the_record_states():
    raison = _parsed(RECORDS.replace("value: 7\n    unit: days", "value: 43\n    unit: days"))[0]
    assert describe.period(raison.get("lasts")) == "43 days"
    assert "still present at 43 days" in describe.alt_window([raison])
    assert describe.period({"value": 1, "unit": "weeks"}) == "1 week"


def test_the_trial_table_names_each_arm_dose_route_and_schedule():
    doe, roe = _parsed()
    assert describe.intervention(doe) == "ketamine 0.5 mg/kg IV, single infusion"
    assert describe.intervention(roe) == "ketamine"
    assert describe.table_row(doe)[2] == "ketamine 0.5 mg/kg IV, single infusion"
    assert len(describe.TABLE_WIDTHS) == len(describe.TABLE_COLUMNS) and sum(describe.TABLE_WIDTHS) <= 1.0


def test_alt_text_says_when_the_comparator_did_better():
    worse = RECORDS.replace("direction: negative", "direction: negative\n  favoured: comparator")
    text = describe.alt_forest(_parsed(worse))
    assert "the largest, Roe 2021 (n=120), found that the comparator did better." in text
    assert "no significant difference" not in text and "no difference" not in text
    assert "no significant difference" in describe.alt_forest(_parsed())
    assert describe.alt_map(_parsed(worse)).endswith(
        "PTSD: 2 randomised; 1 positive, 1 negative (in Roe 2021 the comparator did better).")


def test_favoured_is_checked_against_its_vocabulary_and_the_direction():
    bad = RECORDS.replace("direction: negative", "direction: negative\n  favoured: placebo")
    assert [p.message for p in rules.validate(_parsed(bad), {"doe2020trial"})] == [
        "roe2021: unknown favoured 'placebo'; use one of: intervention, comparator, neither"]
    contradiction = RECORDS.replace("direction: positive", "direction: positive\n  favoured: comparator")
    problems = rules.validate(_parsed(contradiction), {"doe2020trial"})
    assert [(p.line, p.message) for p in problems] == [
        (26, "doe2020: favoured 'comparator' contradicts direction 'positive'")]


def test_a_ratio_axis_has_plain_decimal_ticks(tmp_path):
    daly = RECORDS.replace("measure: mean difference\n    estimate: 5.5\n    ci: [1.0, 10.0]",
                           "measure: hazard ratio\n    estimate: 0.49\n    ci: [0.29, 0.84]")
    from textbook.evidence import draw
    path = tmp_path / "f.svg"
    draw.draw("forest", _parsed(daly)[:1], path, {})
    svg = path.read_text()
    assert ">0.3<" in svg and ">0.5<" in svg and ">1<" in svg
    assert "10^" not in svg and "\u00d7" not in svg and "10<tspan" not in svg


def test_a_note_without_a_ci_stays_on_its_side_of_the_line_of_no_effect():
    """'no CI reported' runs away from the null line, and the axis grows to hold it."""
    import matplotlib
    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt

    from textbook.evidence import draw
    found = _parsed(RECORDS.replace("estimate: 1.0", "estimate: -0.5"))
    fig = draw._forest(plt, found, {})
    for ax in fig.axes[:1]:
        renderer = fig.canvas.get_renderer()
        null = ax.transData.transform((0, 0))[0]
        box = ax.get_window_extent(renderer)
        for text in ax.texts:
            extent = text.get_window_extent(renderer)
            if "no CI" in text.get_text():
                assert extent.x1 <= null
            assert box.x0 - 0.5 <= extent.x0 and extent.x1 <= box.x1 + 0.5
    plt.close(fig)


def test_the_pdf_trial_table_has_set_column_widths_in_smaller_type(project):
    build(project, lesson("""
        :::{evidence-table} Trials in PTSD
        :indications: ptsd
        :::

        """), builder="latex")
    assert project.warnings() == ""
    tex = next(Path(project.app.outdir).glob("*.tex")).read_text()
    table = tex[tex.index("\\begin{textbookevidencetable}"):tex.index("\\end{textbookevidencetable}")]
    widths = "".join(f"\\Y{{{w:.2f}}}" for w in describe.TABLE_WIDTHS)
    assert "\\begin{longtable}" in table and f"{{{widths}}}" in table
    assert "ketamine 0.5 mg/kg IV, single infusion" in table
