"""{key-points}: every lesson's anchor, in reading order, linked to its chapter."""

import os
import time
from pathlib import Path

from conftest import lesson

KEYS = "# Key points\n\n:::{key-points}\n:::\n"


def test_anchors_in_reading_order_with_links(project):
    first = lesson(lesson_id="L14.1", concept=1, title="First").replace(
        "The one-paragraph summary.", "Summary of the first, see {lesson}`L14.2`.").replace(
        "{lesson}`L14.4`", "{lesson}`L14.1`")
    second = lesson(lesson_id="L14.2", concept=2, title="Second").replace(
        "The one-paragraph summary.", "Summary of the second.").replace("{lesson}`L14.4`", "{lesson}`L14.2`")
    # written in the toctree out of order: the page still follows concept order
    project.build({"b.md": second, "a.md": first, "keys.md": KEYS})
    assert project.warnings() == ""
    html = project.output("keys.html")
    assert html.index("Summary of the first") < html.index("Summary of the second")
    assert '<a class="reference internal" href="a.html" title="L14.1 First"><strong>L14.1 First</strong></a>' in html
    # a {lesson} link inside a copied anchor resolves from the Key points page
    assert 'href="b.html" title="L14.2 Second"' in html.split("Summary of the first")[1]


def test_key_points_in_latex(project):
    project.build({"a.md": lesson(), "keys.md": KEYS}, builder="latex")
    tex = project.output("tiny.tex")
    assert "L14.4 A Lesson" in tex.split(r"\chapter{Key points}")[1]


def test_citation_in_an_anchor_is_an_error(project):
    source = lesson().replace("The one-paragraph summary.", "A summary {cite:p}`doe2020trial`.")
    project.build({"a.md": source})
    assert "cite the evidence in the body, not in the anchor" in project.warnings()


def test_rewritten_only_when_an_anchor_changes(project):
    """Editing a chapter's body leaves the Key points page alone; editing its anchor does not."""
    source = lesson(lesson_id="L14.4")
    project.build({"a.md": source, "keys.md": KEYS})
    page = Path(project.app.outdir) / "keys.html"
    # Dated in the future, so only our rule, not the page's age, can make Sphinx write it.
    later = time.time() + 10**6
    os.utime(page, (later, later))
    chapter = project.path / "a.md"
    chapter.write_text(source.replace("Text citing", "Body text citing"))
    project.rebuild()
    assert page.stat().st_mtime == later
    chapter.write_text(source.replace("The one-paragraph summary.", "A new summary."))
    project.rebuild()
    assert project.warnings() == ""
    assert "A new summary." in project.output("keys.html")
