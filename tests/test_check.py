"""The chapter checker: every rule fires on its bad input and stays quiet on a good chapter."""

import datetime as dt
import subprocess
import sys

import pytest

from textbook import check

from conftest import ROOT, TINY_BIB, lesson

TODAY = dt.date.today().isoformat()
GOOD = lesson(reviewed=TODAY)


@pytest.fixture
def book(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "conf.py").write_text((ROOT / "conf.py").read_text())
    (tmp_path / "references.bib").write_text(TINY_BIB)
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


# (rule id, a change that breaks exactly that rule, the expected line of the output)
CASES = [
    ("front-matter", lambda t: t.replace("  subtitle: Its subtitle\n", ""),
     "chapters/ch.md:2: error: lesson front matter: missing 'subtitle' (a concept needs: id, kind, stage, "
     "concept, title, subtitle, reviewed) (front-matter)"),
    ("front-matter", lambda t: t.replace("  subtitle: Its subtitle", "  subtitle: [unclosed"),
     "chapters/ch.md:8: error: front matter is not valid YAML"),  # the line that opens the broken list
    ("front-matter", lambda t: t.replace("id: L14.4", "id: L14.9"),
     "chapters/ch.md:3: error: lesson front matter: id 'L14.9' does not match stage 14, concept 4"),
    ("title-matches-heading", lambda t: t.replace("# A Lesson", "# Other"),
     "chapters/ch.md:12: error: heading 'Other' differs from the front-matter title 'A Lesson' (title-matches-heading)"),
    ("one-anchor", lambda t: t.replace(":::{anchor}\nThe one-paragraph summary.\n:::\n", ""),
     "chapters/ch.md:2: error: no {anchor}: a lesson needs exactly one (one-anchor)"),
    ("one-anchor", lambda t: t.replace("The one-paragraph summary.", "One.\n\nTwo."),
     "error: the anchor must be one paragraph (it has a blank line inside) (one-anchor)"),
    ("one-anchor", lambda t: t.replace("The one-paragraph summary.", "See {cite:p}`doe2020trial`."),
     "error: no citations in the anchor: it is a summary; cite in the body (one-anchor)"),
    ("prove-it-answer", lambda t: t.replace(":::{answer}\nThe model answer.\n:::\n", ""),
     "error: a prove-it case needs exactly one {answer} inside it (found 0)"),
    ("connects-to", lambda t: t.replace("{lesson}`L14.4`", "{lesson}`L14.8`"),
     "error: unknown lesson 'L14.8' (known: L14.4) (connects-to)"),
    ("margin-note-kind", lambda t: t + "\n:::{margin-note} rumour\nHeard it.\n:::\n",
     "error: unknown margin-note kind 'rumour'; use one of: evidence-supports, ahead-of-evidence, "
     "clinical-pearl, caution (margin-note-kind)"),
    ("unclosed-directive", lambda t: t + "\n:::{margin-note} caution\nNever closed.\n",
     "error: the {margin-note} opened here is never closed (add ':::') (unclosed-directive)"),
    ("citation-key", lambda t: t.replace("{cite:p}`doe2020trial`", "{cite:p}`ghost2020x`"),
     "error: citation key 'ghost2020x' is not in references.bib (citation-key)"),
    ("bibliography", lambda t: t.replace(":::{bibliography}\n:filter: docname in docnames\n:::\n", ""),
     "error: no {bibliography}: end the lesson with a '## References' section holding one (bibliography)"),
    ("figure-alt", lambda t: t + "\n```{figure} img.png\nA caption.\n```\n",
     "error: this {figure} has no ':alt:' text for screen readers (figure-alt)"),
    ("figure-alt", lambda t: t + "\n![](img.png)\n",
     "error: this image has no alt text: write it between the brackets ![...] (figure-alt)"),
    ("no-raw-html", lambda t: t + "\n<script>alert(1)</script>\n",
     "error: raw <script> is not allowed in a chapter (no-raw-html)"),
    ("no-external-assets", lambda t: t + "\n![A chart](https://example.org/chart.png)\n",
     "error: an image from another host: put the file in the repository (no-external-assets)"),
    ("placeholder", lambda t: t + "\nTODO write this.\n",
     "error: a TODO placeholder from the template is still here: write it (placeholder)"),
    ("language", lambda t: t + "\nHe committed suicide in 2019.\n",
     "warning: 'committed suicide': prefer died by suicide / took their own life (language)"),
    ("language", lambda t: t + "\nA drug that cures depression.\n",
     "warning: 'cures': prefer remission / response (state what the trial measured) (language)"),
    ("review-due", lambda t: t.replace(f"reviewed: {TODAY}", "reviewed: 2020-03-01"),
     "chapters/ch.md:9: warning: clinical review was due on 2022-03-01 (last reviewed 2020-03-01) (review-due)"),
]


@pytest.mark.parametrize("rule_id, breaking, expected", CASES, ids=[c[0] for c in CASES])
def test_rule_fires(book, rule_id, breaking, expected):
    out = run(book, breaking(GOOD))
    assert any(expected in line for line in out), out
    assert all(line.endswith(")") for line in out)


BIB_CASES = [
    ("bib-fields", "@article{bare2020x,\n  title = {T},\n}\n", "bare2020x: missing author, journal, year (bib-fields)"),
    ("bib-identifier", "@article{noid2020x,\n  author = {A, B},\n  title = {T},\n  journal = {J},\n  year = {2020},\n}\n",
     "warning: noid2020x: no doi, pmid or url"),
    ("bib-duplicates", TINY_BIB.replace("doe2020trial", "doe2020again"),
     "error: doe2020again: same DOI as doe2020trial (10.1000/test.1): keep one entry (bib-duplicates)"),
    ("bib-cited", TINY_BIB.replace("doe2020trial", "uncited2020x"), "warning: uncited2020x: not cited by any chapter"),
    ("bib-syntax", "% checked by mail@example.org\n", "error: an '@' starts a new entry for BibTeX, even in a % comment"),
]


@pytest.mark.parametrize("rule_id, extra, expected", BIB_CASES, ids=[c[0] for c in BIB_CASES])
def test_bib_rule_fires(book, rule_id, extra, expected):
    with (book / "references.bib").open("a") as bib:
        bib.write("\n" + extra)
    assert any(expected in line for line in run(book, GOOD)), run(book, GOOD)


@pytest.mark.parametrize("content, expected", [
    (b"", "chapters/ch.md:1: error: the file is empty (file-readable)"),
    (b"# Title\n\nCaf\xe9 au lait\n", "chapters/ch.md:3: error: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    (b"# Big\n" + b"word " * 1_100_000, "error: the file is 5,500,006 bytes; a chapter stays under 1,000,000"),
    (b"---\nlesson:\n  id: L14.4\n", "chapters/ch.md:1: error: front matter opened with '---' is never closed"),
], ids=["empty", "not-utf8", "five-megabytes", "unclosed-front-matter"])
def test_unreadable_files_are_reported_not_raised(book, content, expected):
    assert any(expected in line for line in run(book, content))


def test_command_line_exit_status_and_no_traceback(book):
    (book / "chapters" / "bad.md").write_bytes(b"\xff\xfe broken")
    (book / "chapters" / "good.md").write_text(GOOD)
    result = subprocess.run([sys.executable, "-m", "textbook.check", "--root", str(book)],
                            capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "_ext")})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("chapters/bad.md:1: error: not UTF-8 text")


def test_the_book_passes_its_own_checker():
    errors = [line for line in check.check(sorted((ROOT / "chapters").glob("*.md")) + [ROOT / "references.bib"],
                                           ROOT) if ": error: " in line]
    assert errors == []
