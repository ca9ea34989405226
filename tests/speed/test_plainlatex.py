"""Plain text skips pybtex's LaTeX decoder and gives the same rich text (textbook.speed.plainlatex)."""

import codecs
import random

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.database import parse_file
from pybtex.markup import LaTeXParser
from pybtex.richtext import Text

from conftest import ROOT
from textbook.speed import plainlatex


def _pybtex(latex: str) -> Text:
    """What pybtex 0.26.1's own ``Text.from_latex`` returns."""
    return LaTeXParser(codecs.decode(latex, "ulatex")).parse()


def _same(latex: str) -> bool:
    plainlatex.read_plain_text_directly()
    try:
        theirs = _pybtex(latex)
    except Exception as error:  # noqa: BLE001 unbalanced braces: both must refuse the same way
        try:
            Text.from_latex(latex)
        except type(error):
            return True
        return False
    ours = Text.from_latex(latex)
    return ours == theirs and repr(ours) == repr(theirs) and type(ours) is type(theirs)


def test_every_field_and_name_of_the_bibliography_reads_the_same():
    data = parse_file(str(ROOT / "references.bib"))
    strings = set()
    for entry in data.entries.values():
        strings.update(entry.fields.values())
        for persons in entry.persons.values():
            for person in persons:
                strings.update(person.first_names + person.middle_names + person.prelast_names
                               + person.last_names + person.lineage_names)
    assert len(strings) > 500
    assert [s for s in strings if not _same(s)] == []
    assert sum(not plainlatex.LATEX_SPECIAL.search(s) for s in strings) > len(strings) // 2  # the short cut is taken


def test_random_strings_of_latex_punctuation_read_the_same():
    alphabet = "ab -,'.!?<>:;()/&#^_=+*[]\"é–0@|`~{}\\%$\t"
    rng = random.Random(14)
    samples = {"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7))) for _ in range(20000)}
    assert [s for s in samples if not _same(s)] == []


def test_markup_still_goes_through_pybtex():
    plainlatex.read_plain_text_directly()
    assert Text.from_latex("Br{\\'e}sil -- {MDMA}").render_as("text") == "Brésil – MDMA"
    assert Text.from_latex("pages 3--4").render_as("text") == "pages 3–4"
