"""sphinxcontrib-bibtex's ``cite`` domain, with its whole-book lookups made once per build.

At ``env-updated`` sphinxcontrib-bibtex (2.7.0) builds every bibliography of the
book. For each one it asks, of every entry in references.bib, which documents
cite it, by scanning every citation of the book; and it sorts every citation
by its document's place in a list. With one bibliography per chapter that
work grows as chapters x entries x citations: the quadratic step of a large
book. This subclass answers both questions from indexes built once per build;
the bibliographies, their order and their labels are unchanged.
"""

from __future__ import annotations

from collections import defaultdict

from sphinx.util import logging
from sphinxcontrib.bibtex.domain import BibtexDomain, _FilterVisitor, get_docnames

logger = logging.getLogger(__name__)


class IndexedBibtexDomain(BibtexDomain):
    #: While env_updated runs: every cited key, in citation order (documents in
    #: reading order), and the documents citing each key.
    _cited_keys: list[str] | None = None
    _cited_in: dict[str, set[str]] | None = None

    def env_updated(self):
        position = {docname: index for index, docname in enumerate(get_docnames(self.env))}
        in_order = sorted(self.citation_refs, key=lambda ref: position[ref.docname])
        self._cited_keys = [target.key for ref in in_order for target in ref.targets]
        self._cited_in = defaultdict(set)
        for ref in self.citation_refs:
            for target in ref.targets:
                self._cited_in[target.key].add(ref.docname)
        try:
            return super().env_updated()
        finally:
            self._cited_keys = self._cited_in = None

    def get_all_cited_keys(self, docnames):
        if self._cited_keys is None:
            yield from super().get_all_cited_keys(docnames)
        else:
            yield from self._cited_keys

    def get_filtered_entries(self, bibliography_key):
        if self._cited_in is None:
            yield from super().get_filtered_entries(bibliography_key)
            return
        # As BibtexDomain.get_filtered_entries, with the citing documents looked up.
        bibliography = self.bibliographies[bibliography_key]
        for entry in self.get_entries(bibliography.bibfiles):
            key = bibliography.keyprefix + entry.key
            cited_docnames = self._cited_in.get(key, set())
            visitor = _FilterVisitor(entry=entry, docname=bibliography_key.docname,
                                     cited_docnames=cited_docnames)
            try:
                success = visitor.visit(bibliography.filter_)
            except ValueError as err:
                logger.warning("syntax error in :filter: expression; %s", err,
                               location=(bibliography_key.docname, bibliography.line),
                               type="bibtex", subtype="filter_syntax_error")
                success = bool(cited_docnames)
            if success or entry.key in bibliography.keys:
                yield key, entry
