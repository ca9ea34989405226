"""Citations: every key resolves; a missing one is reported as file:line: key."""

import re
from pathlib import Path

from conftest import ROOT, lesson
from textbook.tools import sources


def missing_citations(root: Path) -> list[str]:
    known = sources.bib_keys(root / "references.bib")
    return [str(c) for path in sorted((root / "chapters").glob("*.md"))
            for c in sources.citations(path) if c.key not in known]


def test_every_citation_in_the_book_resolves():
    assert missing_citations(ROOT) == []


def test_a_missing_key_is_reported_as_file_line_key(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "references.bib").write_text("@article{known2020a,\n  title = {T},\n}\n")
    (tmp_path / "chapters" / "ch.md").write_text("# Ch\n\nOne {cite:p}`known2020a,ghost2021b`.\n")
    assert missing_citations(tmp_path) == [f"{tmp_path}/chapters/ch.md:3: ghost2021b"]


def test_the_build_reports_a_missing_key_at_its_line(project):
    source = lesson("Claim {cite:p}`ghost2021b`.\n")
    project.build({"ch.md": source})
    line = source.splitlines().index("Claim {cite:p}`ghost2021b`.") + 1
    assert f'ch.md:{line}: WARNING: could not find bibtex key "ghost2021b"' in project.warnings()


def test_vancouver_style_numbers_and_links(project):
    project.build({"ch.md": lesson()})
    html = project.output("ch.html")
    assert "Doe J, Roe R. A Randomized Trial of Something. <em>J Test Med</em>. 2020;1(2):3–4." in html
    assert '<a class="reference external" href="https://doi.org/10.1000/test.1">doi:10.1000/test.1</a>' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12345/">PMID: 12345</a>' in html


def test_chapter_references_stay_in_the_chapter_in_latex(project):
    project.build({"ch.md": lesson()}, builder="latex")
    tex = project.output("tiny.tex")
    assert r"\begin{textbookreferences}{1}" in tex
    # the entry carries the hypertarget that the citation's \hyperlink points at
    (target,) = re.findall(r"\\textbookreference\{1\}\{(ch:[^}]+)\}", tex)
    assert rf"\hyperlink{{cite.{target}}}{{1}}" in tex
    assert "sphinxthebibliography" not in tex


def test_every_chapter_has_exactly_one_anchor():
    lessons = sources.lesson_files(ROOT)
    assert len(lessons) >= 1
    anchor = re.compile(r"^(:{3,}|`{3,})\{anchor\}", re.MULTILINE)
    counts = {p.name: len(anchor.findall(p.read_text(encoding="utf-8"))) for p in lessons}
    assert counts == {name: 1 for name in counts}
