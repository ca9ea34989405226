"""What a rebuild reuses from the last build gives the same output as making it afresh.

Covers textbook.speed.sidebarnav, pygmentscss and themestatic, the cite domain's reuse
of its citations (references/citedomain.py), the evidence records kept between builds
(evidence/build.py) and the safety scan's record of clean pages (safety/build.py).
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from docutils import nodes

import conftest
from textbook.evidence import build as evidence_build
from textbook.references.citedomain import CitationNodes
from textbook.safety import build as safety_build
from textbook.safety import scan
from textbook.speed import sidebarnav, themestatic

BOOK_THEME = (f'html_theme = "sphinx_book_theme"\ntemplates_path = [{str(conftest.ROOT / "_templates")!r}]\n'
              'html_theme_options = {"show_toc_level": 2, "max_navbar_depth": 1, "collapse_navbar": True, '
              '"use_fullscreen_button": False, "home_page_in_toc": True}\n')
INDEX = "# Book\n\n```{toctree}\none\ntwo\n```\n"
PAGE = ("# {title}\n\n## First part\n\nText {{cite:p}}`doe2020trial`.\n\n## Second part\n\nMore.\n\n"
        "```{{bibliography}}\n```\n")


def _pages(project) -> dict[str, str]:
    out = Path(project.app.outdir)
    return {path.relative_to(out).as_posix(): path.read_text(encoding="utf-8")
            for path in out.rglob("*.html") if "_static" not in path.parts}


def _book(project, **extra):
    files = {"conf.py": conftest.TINY_CONF + BOOK_THEME, "index.md": INDEX,
             "one.md": PAGE.format(title="One"), "two.md": PAGE.format(title="Two"), **extra}
    return project.build(files)


def test_stored_navigation_gives_the_pages_the_theme_gives(project, tmp_path):
    _book(project)
    stored = Path(project.app.doctreedir) / sidebarnav.CACHE_DIR
    assert len(list(stored.glob("*.json"))) >= 4  # a sidebar and a contents list for each page
    assert project.warnings() == ""
    (project.path / "one.md").write_text(PAGE.format(title="One") + "\nOne more line.\n")
    project.rebuild()
    assert not sidebarnav._state["changed"]  # every rewrite came from the store
    rebuilt = _pages(project)

    # The same sources built afresh, with no store: the theme rewrites everything itself.
    fresh = conftest.TinyProject(tmp_path / "fresh")
    fresh.build({"conf.py": conftest.TINY_CONF + BOOK_THEME, "index.md": INDEX,
                 "one.md": PAGE.format(title="One") + "\nOne more line.\n", "two.md": PAGE.format(title="Two")})
    assert sidebarnav._state["changed"]
    assert _pages(fresh) == rebuilt
    assert 'class="current nav bd-sidenav"' in rebuilt["one.html"] and "toc-h2" in rebuilt["one.html"]


def test_a_stored_page_contents_list_prints_tests_and_measures_as_the_theme_element():
    from bs4 import BeautifulSoup

    element = BeautifulSoup("<ul><li>a</li><li>b</li></ul>", "html.parser").ul
    markup = sidebarnav.ThemeMarkup(str(element), len(element), bool(element))
    assert f"{markup}" == str(element) and len(markup) == 2 and markup
    empty = sidebarnav.ThemeMarkup("", 0, False)
    assert not empty and len(empty) == 0


def test_a_deferred_module_is_imported_at_its_first_use(tmp_path, monkeypatch):
    (tmp_path / "deferredprobe.py").write_text("LOADED = True\nimport sys\nsys.deferredprobe_runs = "
                                               "getattr(sys, 'deferredprobe_runs', 0) + 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib.util

    spec = importlib.util.find_spec("deferredprobe")
    stand_in = sidebarnav.DeferredModule("deferredprobe")
    stand_in.__spec__, stand_in.__file__ = spec, spec.origin
    monkeypatch.setitem(sys.modules, "deferredprobe", stand_in)
    import deferredprobe  # a second import statement finds the stand-in and runs nothing

    assert deferredprobe is stand_in and getattr(sys, "deferredprobe_runs", 0) == 0
    assert deferredprobe.LOADED and sys.deferredprobe_runs == 1
    assert stand_in.LOADED and sys.modules["deferredprobe"] is not stand_in
    del sys.deferredprobe_runs


def test_the_pygments_stylesheet_is_the_themes_and_is_kept(project):
    _book(project)
    css = project.output("_static/pygments.css")
    assert 'html[data-theme="dark"] .highlight' in css and 'html[data-theme="light"] .highlight' in css
    kept = list((Path(project.app.doctreedir) / "pygments-css").glob("*.css"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == css
    project.rebuild()
    assert project.output("_static/pygments.css") == css


def test_theme_static_files_are_those_sphinx_copies(project, tmp_path, monkeypatch):
    _book(project)
    ours = Path(project.app.outdir) / "_static"
    assert themestatic.sphinx_method is not None
    from sphinx.builders.html import StandaloneHTMLBuilder

    monkeypatch.setattr(StandaloneHTMLBuilder, "copy_theme_static_files", themestatic.sphinx_method)
    monkeypatch.setattr(themestatic, "compare_theme_files_by_stamp", lambda app: None)
    theirs_project = conftest.TinyProject(tmp_path / "sphinx-copy")
    _book(theirs_project)
    assert StandaloneHTMLBuilder.copy_theme_static_files is themestatic.sphinx_method
    theirs = Path(theirs_project.app.outdir) / "_static"
    listed = sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*") if p.is_file())
    assert listed == sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*") if p.is_file())
    assert "documentation_options.js" in listed and "basic.css" in listed  # rendered templates
    for name in listed:
        assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name


def test_unchanged_citations_are_reused_and_a_new_one_is_listed(project, monkeypatch):
    from textbook.references.citedomain import IndexedBibtexDomain

    _book(project)
    domain = project.app.env.get_domain("cite")
    assert domain.data["inputs"] and domain.citations
    first = project.output("one.html")
    made = []
    real = IndexedBibtexDomain._update_citations
    monkeypatch.setattr(IndexedBibtexDomain, "_update_citations",
                        lambda self, docnames: made.append(1) or real(self, docnames))
    project.rebuild()
    assert project.output("one.html") == first and not made
    # A chapter read again with the same citations: its list comes back from the last build.
    (project.path / "one.md").write_text(PAGE.format(title="One") + "\nOne more line.\n")
    project.rebuild()
    assert not made
    again = project.output("one.html")
    assert "One more line." in again and again.count("A Randomized Trial of Something") == first.count(
        "A Randomized Trial of Something") > 0
    bib = conftest.TINY_BIB + "\n@article{roe2021other,\n  author = {Roe, Richard},\n  title = {Another Trial},\n" \
        "  journal = {J Test Med}, year = {2021}, volume = {2}, pages = {5--6}, doi = {10.1000/test.2},\n}\n"
    (project.path / "refs.bib").write_text(bib)
    (project.path / "two.md").write_text(PAGE.format(title="Two").replace("`doe2020trial`", "`roe2021other`"))
    project.rebuild()
    assert made  # new inputs: the citations are made again
    # Both lists: one.md was not read again, but its list shows every cited entry.
    assert "Another Trial" in project.output("two.html") and "Another Trial" in project.output("one.html")


def test_a_warning_from_the_citations_is_given_again_on_every_build(project):
    page = PAGE.format(title="One").replace("```{bibliography}\n```", "```{bibliography}\n:filter: 1 < 2 < 3\n```")
    project.build({"one.md": page})
    assert "multiple comparators" in project.warnings()
    assert project.app.env.get_domain("cite").data["inputs"] is None
    project.rebuild()
    assert "multiple comparators" in project.warnings()


def test_citation_nodes_pickle_as_their_ids_and_come_back_the_same():
    made = CitationNodes({f"key{i}": nodes.citation(ids=[f"cite-1-key{i}"]) for i in range(3)})
    again = pickle.loads(pickle.dumps(made))
    assert isinstance(again, CitationNodes)
    assert {key: vars(node) for key, node in again.items()} == {key: vars(node) for key, node in made.items()}
    assert again["key1"].pformat() == made["key1"].pformat()
    made["key0"] += nodes.paragraph(text="formatted")  # no longer plain: pickled whole
    whole = pickle.loads(pickle.dumps(made))
    assert whole["key0"].astext() == "formatted"


def test_evidence_records_are_kept_beside_the_doctrees(tmp_path, monkeypatch):
    book = tmp_path / "book"
    (book / "evidence").mkdir(parents=True)
    records = book / "evidence" / "trials.yaml"
    records.write_text(conftest.TINY_EVIDENCE)
    cache = tmp_path / "doctrees"
    evidence_build._MEMO.clear()
    found, problems, index = evidence_build.book_records(book, cache)
    assert list(index) == ["doe2020"] and not problems
    assert (cache / evidence_build.RECORDS_CACHE).is_file()

    evidence_build._MEMO.clear()  # a new process: read from the cache, not the YAML
    monkeypatch.setattr(evidence_build.rec, "read_all", lambda root: (_ for _ in ()).throw(AssertionError))
    assert list(evidence_build.book_records(book, cache)[2]) == ["doe2020"]

    evidence_build._MEMO.clear()
    records.write_text(conftest.TINY_EVIDENCE.replace("n_randomised: 40", "n_randomised: 41"))
    monkeypatch.undo()
    assert evidence_build.book_records(book, cache)[2]["doe2020"].data["n_randomised"] == 41
    evidence_build._MEMO.clear()


def test_the_safety_scan_skips_a_page_it_found_clean_but_reports_a_bad_one_every_time(tmp_path, monkeypatch):
    out = tmp_path / "html"
    out.mkdir()
    (out / "clean.html").write_text("<html><body><article><p>Fine.</p></article></body></html>")
    (out / "bad.html").write_text('<html><body><article><iframe src="x.html"></iframe></article></body></html>')
    record = tmp_path / "doctrees" / safety_build.CLEAN_PAGES
    scanned = []
    real = scan.scan_files

    def counting(paths, root=None):
        paths = list(paths)
        scanned.extend(path.name for path in paths)
        return real(paths, root)

    monkeypatch.setattr(scan, "scan_files", counting)
    files = [out / "clean.html", out / "bad.html"]
    first = safety_build._scan_pages(files, out, record, documents=2)
    assert [finding.file for finding in first] == ["bad.html"] and sorted(scanned) == ["bad.html", "clean.html"]
    scanned.clear()
    second = safety_build._scan_pages(files, out, record, documents=2)
    assert [finding.file for finding in second] == ["bad.html"] and scanned == ["bad.html"]
