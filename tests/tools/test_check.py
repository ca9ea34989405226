"""The chapter checker: every rule fires on its bad input and stays quiet on a good chapter."""

import datetime as dt
import subprocess
import sys

import pytest

from conftest import ROOT, TINY_BIB, TINY_EVIDENCE, lesson
from textbook.tools import check

TODAY = dt.date.today().isoformat()
GOOD = lesson(reviewed=TODAY)


@pytest.fixture
def book(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "conf.py").write_text((ROOT / "conf.py").read_text())
    (tmp_path / "references.bib").write_text(TINY_BIB)
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "trials.yaml").write_text(TINY_EVIDENCE)
    return tmp_path


def run(book, text: str | bytes, name="ch.md") -> list[str]:
    path = book / "chapters" / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return check.check([path, book / "references.bib"], book)


def test_a_good_chapter_and_bib_are_quiet(book):
    assert run(book, GOOD) == []


def test_every_rule_is_listed_with_an_id_and_severity():
    assert {r.severity for r in check.RULES} == {"error", "warning"}
    assert len({r.id for r in check.RULES}) == len(check.RULES)


def test_glossary_terms_are_matched_as_sphinx_matches_them(book):
    (book / "glossary.md").write_text("# Glossary\n\n```{glossary}\n:sorted:\n\nTRD\n"
                                      "treatment-resistant depression\n  Its definition.\n```\n")
    text = GOOD.replace("Text citing", "In {term}`TRD`, or {term}`resistant <Treatment-Resistant Depression>`,\n"
                                       "and {term}`TRDs`, text citing")
    line = text.splitlines().index("and {term}`TRDs`, text citing {cite:p}`doe2020trial`.") + 1
    assert run(book, text) == [f"chapters/ch.md:{line}: error: 'TRDs' is not a term in glossary.md: define it "
                               "there, or link an existing term with {term}`text <Term>` (glossary-term)"]


CORPUS = ROOT / "tests" / "bad_input"
EXPECTED = [tuple(line.split("\t", 1)) for line in (CORPUS / "EXPECTED.tsv").read_text().splitlines()
            if line and not line.startswith("#")]


def test_the_corpus_breaks_every_rule():
    broken = {line.rsplit("(", 1)[1].rstrip(")") for _, line in EXPECTED if line.endswith(")")}
    # title-unique needs two chapters: tests/safety/test_safety.py has its case
    assert {r.id for r in check.RULES} - broken <= {"file-readable", "title-unique"}
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("name, expected", EXPECTED, ids=[name for name, _ in EXPECTED])
def test_checker_prints_the_expected_line(book, name, expected):
    source = (CORPUS / name).read_bytes()
    if name.endswith(".bib"):
        with (book / "references.bib").open("ab") as bib:
            bib.write(b"\n" + source)
        out = run(book, GOOD)
    elif name.endswith(".yaml"):
        (book / "evidence" / name).write_bytes(source)
        out = check.check([book / "evidence" / name], book)
    else:
        out = [line.replace("chapters/ch.md", name) for line in run(book, source)]
    if expected == "ok":  # a valid file (or one only a build can judge): no error
        assert not [line for line in out if ": error: " in line], out
        return
    assert expected in out, out


#: Cases that tests/safety/test_safety.py builds in every format (HTML, LaTeX, EPUB) instead.
BUILT_IN_EVERY_FORMAT = {line.split("\t")[0] for line in (CORPUS / "BUILD_EXPECTED.tsv").read_text().splitlines()}


@pytest.mark.parametrize("name", [name for name, _ in EXPECTED if name.endswith(".md")
                                  and name not in BUILT_IN_EVERY_FORMAT])
def test_build_reports_bad_input_without_a_traceback(project, name):
    source = (CORPUS / name).read_bytes().decode("utf-8", errors="replace")
    project.build({"ch.md": source})
    warnings = project.warnings()
    assert "Traceback" not in warnings and "Exception occurred" not in warnings


def test_a_five_megabyte_file_is_refused_quickly(book):
    out = run(book, b"# Big\n" + b"word " * 1_100_000)
    assert ("chapters/ch.md:1: error: the file is 5,500,006 bytes; a chapter stays under 1,000,000 "
            "(file-readable)") in out


def test_command_line_exit_status_and_no_traceback(book):
    (book / "chapters" / "bad.md").write_bytes(b"\xff\xfe broken")
    (book / "chapters" / "good.md").write_text(GOOD)
    result = subprocess.run([sys.executable, "-m", "textbook.tools.check", "--root", str(book)],
                            capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "_ext")})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("chapters/bad.md:1: error: not UTF-8 text")


def test_the_book_passes_its_own_checker():
    errors = [line for line in check.check(sorted((ROOT / "chapters").glob("*.md")) + [ROOT / "references.bib"],
                                           ROOT) if ": error: " in line]
    assert errors == []


def test_the_checker_starts_without_sphinx_or_the_build_wings():
    # The checker runs on every save and in CI before any build: importing the
    # package must not pull in Sphinx, docutils, pybtex or the wings that need them.
    probe = ("import sys, textbook.tools.check; "
             "print(sorted({m.split('.')[0] for m in sys.modules} & "
             "{'sphinx', 'docutils', 'pybtex', 'sphinxcontrib', 'matplotlib', 'pypdf'}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT / "_ext")}, check=True)
    assert result.stdout.strip() == "[]"
    loaded = subprocess.run([sys.executable, "-c", "import sys, textbook.tools.check; "
                             "print(*sorted(m for m in sys.modules if m.startswith('textbook')))"],
                            capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "_ext")}, check=True)
    assert set(loaded.stdout.split()) <= {"textbook", "textbook.tools", "textbook.tools.check",
                                        "textbook.tools.sources", "textbook.lesson", "textbook.lesson.schema",
                                        "textbook.evidence", "textbook.evidence.records", "textbook.evidence.rules",
                                        "textbook.safety", "textbook.safety.rules"}


def test_a_web_page_with_its_address_in_howpublished_has_an_identifier(book):
    (book / "references.bib").write_text(
        "@misc{page2024x,\n  title = {T},\n  year = {2024},\n"
        "  howpublished = {\\url{https://example.org/page}},\n}\n"
        "@misc{print2024x,\n  title = {T},\n  year = {2024},\n  howpublished = {Printed insert},\n}\n")
    problems = check.check([book / "references.bib"], book)
    assert [p for p in problems if "(bib-identifier)" in p] == [
        "references.bib:6: warning: print2024x: no doi, pmid or url "
        "(add one only if you saw it in the source) (bib-identifier)"]
