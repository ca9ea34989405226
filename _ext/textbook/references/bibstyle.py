"""A Vancouver-like (ICMJE/NLM) reference style for pybtex, the norm in medicine.

    Feder A, Parides MK, Murrough JW, et al. Efficacy of intravenous ketamine
    for ... JAMA Psychiatry. 2014;71(6):681-8. doi:10.1001/... PMID:24740528.

Entries are numbered in order of first citation (unsrt order). A ``pmid``
field links to PubMed and a ``doi`` field to doi.org.

Formatting is memoised (``VancouverStyle.formatted``): sphinxcontrib-bibtex
formats every entry of every bibliography on every build, twice with tooltips
on, although only a changed chapter or a changed references.bib can change the
result. The extension keeps the memo in the environment between builds
(refcache.py).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.richtext import HRef, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import dashify
from pybtex.style.labels.number import LabelStyle as NumberLabelStyle
from pybtex.style.names.plain import NameStyle as PlainNameStyle
from pybtex.style.sorting.none import SortingStyle as CitationOrder
from pybtex.style.template import (
    FieldIsMissing,
    field,
    href,
    join,
    node,
    optional,
    sentence,
    tag,
    words,
)

#: ICMJE: list the first six authors, then "et al.".
MAX_AUTHORS = 6

# One backend for the whole build: ``Text.render_as("text")`` would look the
# backend up through the installed packages' entry points on every call, which
# was most of the time of a whole HTML build.
_PLAIN_TEXT = PlainTextBackend()


def _initials(person) -> str:
    given = person.rich_first_names + person.rich_middle_names
    return "".join(
        part[:1].upper()
        for name in given
        for part in name.render(_PLAIN_TEXT).replace(".", " ").replace("-", " ").split()
    )


def vancouver_name(person) -> Text:
    if person.last_names == ["others"] or str(person) == "others":
        return Text("et al.")
    last = Text(" ").join(person.rich_prelast_names + person.rich_last_names)
    initials = _initials(person)
    if not person.rich_first_names and not person.rich_middle_names:
        # a corporate author, written {{Like This}} in the .bib
        return last
    return Text(last, " ", initials)


@node
def vancouver_names(children, context, role):
    """Authors as 'Last AB, Last CD, et al.' (six at most)."""
    try:
        persons = list(context["entry"].persons[role])
    except KeyError:
        raise FieldIsMissing(role, context["entry"]) from None
    truncated = len(persons) > MAX_AUTHORS or (persons and str(persons[-1]) == "others")
    persons = [p for p in persons if str(p) != "others"][:MAX_AUTHORS]
    names = [vancouver_name(p) for p in persons]
    if truncated:
        names.append(Text("et al."))
    return Text(", ").join(names)


@node
def url_unless_identified(children, context):
    """The web address, for entries (guidelines, regulatory pages) with no DOI or PMID."""
    fields = context["entry"].fields
    if "url" not in fields or "doi" in fields or "pmid" in fields:
        return Text()
    return Text("Available from: ", HRef(fields["url"], fields["url"]), ".")


def _year_volume_pages():
    return join[
        field("year"),
        optional[";", field("volume")],
        optional["(", field("number"), ")"],
        optional[":", field("pages", apply_func=dashify)],
    ]


#: Changes whenever this file does, so an edited style never reuses old output.
STYLE_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def entry_fingerprint(entry) -> tuple:
    """Everything of a .bib entry that its formatted text can depend on."""
    return (
        entry.key, entry.type,
        tuple((name, value) for name, value in entry.fields.items()),
        tuple((role, tuple(str(person) for person in persons)) for role, persons in entry.persons.items()),
    )


#: id(entry) -> (entry, its fingerprint): sphinxcontrib-bibtex asks for the same parsed
#: entries (kept alive here, so an id is not reused) once per bibliography that lists
#: them, four times each in the synthetic book; a parsed entry is not changed afterwards
#: (an edited references.bib is parsed again into new entries).
_fingerprints: dict[int, tuple] = {}


def _fingerprint_of(entry) -> tuple:
    known = _fingerprints.get(id(entry))
    if known is None or known[0] is not entry:
        known = _fingerprints[id(entry)] = (entry, entry_fingerprint(entry))
    return known[1]


class VancouverStyle(UnsrtStyle):
    # Classes, not names: pybtex looks a name up through every installed
    # package's entry points, for each of the style's many instances.
    default_name_style = PlainNameStyle
    default_label_style = NumberLabelStyle
    default_sorting_style = CitationOrder  # keep citation order; unsrt numbers by it

    #: (style version, entry fingerprint) -> the entry's formatted text, shared by
    #: all instances (sphinxcontrib-bibtex makes one per bibliography). The text
    #: does not hold the label, so one paper cited as [3] in one chapter and [7]
    #: in another is formatted once.
    formatted: dict[tuple, Any] = {}
    #: The keys of ``formatted`` this build asked for; the rest can be dropped.
    used: set[tuple] = set()

    def format_entry(self, label, entry, bib_data=None):
        if bib_data is not None:  # crossref data may change the text: no memo
            return super().format_entry(label, entry, bib_data)
        key = (STYLE_VERSION, _fingerprint_of(entry))
        self.used.add(key)
        text = self.formatted.get(key)
        if text is None:
            text = self.formatted[key] = super().format_entry(label, entry).text
        return FormattedEntry(entry.key, text, label)

    def format_title(self, e, which_field, as_sentence=True):
        # Titles keep their source capitalisation (drug and trial names, acronyms).
        title = field(which_field)
        return sentence(add_period=True)[title] if as_sentence else title

    def get_article_template(self, e):
        return join(sep=" ")[
            sentence[vancouver_names("author")],
            self.format_title(e, "title"),
            join[tag("em")[field("journal")], ". ", _year_volume_pages(), "."],
            optional[sentence[field("note")]],
            self.format_web_refs(e),
        ]

    def get_book_template(self, e):
        return join(sep=" ")[
            optional[sentence[vancouver_names("author")]],
            sentence[tag("em")[field("title")]],
            optional[sentence[field("edition"), "ed"]],
            sentence(sep=": ")[optional[field("address")], field("publisher")],
            sentence[field("year")],
            self.format_web_refs(e),
        ]

    def get_incollection_template(self, e):
        return join(sep=" ")[
            sentence[vancouver_names("author")],
            self.format_title(e, "title"),
            words["In:", optional[sentence[vancouver_names("editor"), "editors"]]],
            sentence[tag("em")[field("booktitle")]],
            sentence(sep=": ")[optional[field("address")], field("publisher")],
            join[field("year"), optional[". p. ", field("pages", apply_func=dashify)], "."],
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e):
        return join(sep=" ")[
            optional[sentence[vancouver_names("author")]],
            optional[self.format_title(e, "title")],
            optional[sentence[field("howpublished")]],
            optional[sentence[field("year")]],
            optional[sentence[field("note")]],
            self.format_web_refs(e),
        ]

    def format_web_refs(self, e):
        return join(sep=" ")[
            optional[self.format_doi(e)],
            optional[self.format_pmid(e)],
            url_unless_identified,
        ]

    def format_doi(self, e):
        doi = field("doi", raw=True)
        return join[href(join["https://doi.org/", doi])[join["doi:", doi]], "."]

    def format_pmid(self, e):
        pmid = field("pmid", raw=True)
        return join[href(join["https://pubmed.ncbi.nlm.nih.gov/", pmid, "/"])[join["PMID: ", pmid]], "."]

