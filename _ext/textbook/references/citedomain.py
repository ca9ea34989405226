"""sphinxcontrib-bibtex's ``cite`` domain, with its whole-book lookups made once per build.

At ``env-updated`` sphinxcontrib-bibtex (2.7.0) builds every bibliography of the
book. For each one it asks, of every entry in references.bib, which documents
cite it, by scanning every citation of the book; and it sorts every citation
by its document's place in a list. With one bibliography per chapter that
work grows as chapters x entries x citations: the quadratic step of a large
book. This subclass answers both questions from indexes built once per build;
the bibliographies, their order and their labels are unchanged.

It also skips that step when none of its inputs changed since the build that
pickled its result (an edit that moves no citation, bibliography or .bib entry):
sphinxcontrib-bibtex clears and rebuilds ``citations`` on every build, no-op
included (about 30 ms on the 10-chapter benchmark book). The inputs are the
bibliographies (their options, citation nodes and listed keys), the citations
(document, key, in reading order), the .bib files' times, the tooltip settings and
the Vancouver style's version; a result whose making logged a warning is not
reused, so a warning is shown again on every build until it is fixed.

And it keeps the environment small: each bibliography holds a citation node for
every entry of references.bib (the entries it lists are known only later), 1,727
nodes on the benchmark book, about a third of the pickled environment that every
build loads and every build that reads a chapter saves again. Those nodes hold
nothing but their ids until the page is written, so they are pickled as their ids
(``CitationNodes``) and made again, the same, when the environment is loaded.
"""

from __future__ import annotations

import ast
import hashlib
import logging as _logging
from collections import defaultdict

from sphinx.util import logging
from sphinx.util.logging import is_suppressed_warning
from sphinxcontrib.bibtex.domain import BibtexDomain, _FilterVisitor, get_docnames

from .bibstyle import STYLE_VERSION, VancouverStyle

logger = logging.getLogger(__name__)
#: Where the citations' making logs its warnings: sphinxcontrib-bibtex's domain and this module.
WARNING_LOGGERS = ("sphinx.sphinxcontrib.bibtex.domain", f"sphinx.{__name__}")


class IndexedBibtexDomain(BibtexDomain):
    #: While env_updated runs: every cited key, in citation order (documents in
    #: reading order), and the documents citing each key.
    _cited_keys: list[str] | None = None
    _cited_in: dict[str, set[str]] | None = None

    #: The citations as loaded with the environment, before this build cleared any document.
    _citations_before_clearing: list | None = None

    def clear_doc(self, docname: str) -> None:
        if self._citations_before_clearing is None:
            self._citations_before_clearing = list(self.citations)
        super().clear_doc(docname)

    def env_updated(self):
        docnames = list(get_docnames(self.env))
        self._bibliographies_in_document_order(docnames)
        inputs = self._inputs_fingerprint(docnames)
        self._compact_citation_nodes()
        kept = self._citations_before_clearing
        self._citations_before_clearing = None
        if kept is None:
            kept = self.citations
        if kept and self.data.get("inputs") == inputs:
            # sphinxcontrib-bibtex cleared the documents read again from the list: the
            # list as the last build made it, which the same inputs would make again.
            self.data["citations"] = kept
            VancouverStyle.used.update(VancouverStyle.formatted)  # the memo stays whole
            return []
        warned = _WarningSeen(self.env.config.suppress_warnings)
        loggers = [_logging.getLogger(name) for name in WARNING_LOGGERS]
        for watched in loggers:
            watched.addHandler(warned)
        try:
            result = self._update_citations(docnames)
        finally:
            for watched in loggers:
                watched.removeHandler(warned)
        self.data["inputs"] = None if warned.seen else inputs
        return result

    def _compact_citation_nodes(self) -> None:
        for key, value in self.bibliographies.items():
            if not isinstance(value.citation_nodes, CitationNodes):
                self.bibliographies[key] = value._replace(citation_nodes=CitationNodes(value.citation_nodes))

    def _bibliographies_in_document_order(self, docnames) -> None:
        """The bibliographies in the book's order, whichever documents this build read again.

        sphinxcontrib-bibtex keeps them in the order they were read, so a chapter read
        again moves to the end; its citations follow that order, and a citation with no
        list in its own document resolves to the last list that has its entry. In the
        book's order, a build gives the same citations whatever it read.
        """
        position = {docname: index for index, docname in enumerate(docnames)}
        ordered = sorted(self.bibliographies.items(), key=lambda item: position.get(item[0].docname, len(position)))
        if [key for key, _ in ordered] != list(self.bibliographies):
            self.bibliographies.clear()
            self.bibliographies.update(ordered)

    def _inputs_fingerprint(self, docnames) -> str:
        """A digest of everything ``env_updated`` reads to build the citations."""
        config = self.env.config
        parts = [STYLE_VERSION, repr(docnames), repr((config.bibtex_tooltips, config.bibtex_tooltips_style))]
        bibdata = self.data.get("bibdata")
        if bibdata is not None:
            parts.append(repr((bibdata.encoding, [(str(path), info.mtime, list(info.keys))
                                                  for path, info in bibdata.bibfiles.items()])))
        for key, value in self.bibliographies.items():
            filter_ = ast.dump(value.filter_) if isinstance(value.filter_, ast.AST) else repr(value.filter_)
            parts.append(repr((key, value.line, [str(path) for path in value.bibfiles], value.style,
                               value.list_, value.enumtype, value.start, value.labelprefix,
                               value.keyprefix, filter_,
                               [(name, node.get("ids")) for name, node in value.citation_nodes.items()],
                               value.keys)))
        position = {docname: index for index, docname in enumerate(docnames)}
        for ref in sorted(self.citation_refs, key=lambda ref: position.get(ref.docname, len(position))):
            parts.append(repr((ref.citation_ref_id, ref.docname, [tuple(target) for target in ref.targets])))
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def _update_citations(self, docnames):
        position = {docname: index for index, docname in enumerate(docnames)}
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


class _WarningSeen(_logging.Handler):
    """Notes whether sphinxcontrib-bibtex's domain logged a warning Sphinx would show."""

    def __init__(self, suppress_warnings) -> None:
        super().__init__(_logging.WARNING)
        self.suppress_warnings = suppress_warnings
        self.seen = False

    def emit(self, record) -> None:
        if not is_suppressed_warning(getattr(record, "type", None), getattr(record, "subtype", None),
                                     self.suppress_warnings):
            self.seen = True


class CitationNodes(dict):
    """A bibliography's key -> citation node map, pickled as the nodes' classes and ids.

    Only while every node is as sphinxcontrib-bibtex's directive made it (ids and
    nothing else); otherwise it is pickled whole, as a plain dict.
    """

    def __reduce__(self):
        if all(_only_ids(node) for node in self.values()):
            return _citation_nodes, ([(key, type(node), node["ids"]) for key, node in self.items()],)
        return dict, (dict(self),)


def _only_ids(node) -> bool:
    return (not node.children and not node.rawsource and set(vars(node)) == _PLAIN_NODE
            and list(node.attributes) == list(type(node).list_attributes)
            and not any(value for name, value in node.attributes.items() if name != "ids"))


_PLAIN_NODE = {"rawsource", "children", "attributes", "tagname"}


def _citation_nodes(items) -> CitationNodes:
    """The nodes again, made as pickle makes them (docutils' ``Element.__init__`` costs
    about 28 microseconds a node; 1,727 of them were 50 ms of loading the environment)."""
    nodes = CitationNodes()
    for key, node_class, ids in items:
        node = node_class.__new__(node_class)
        attributes = {name: [] for name in node_class.list_attributes}
        attributes["ids"] = list(ids)
        node.__dict__.update(rawsource="", children=[], attributes=attributes, tagname=node_class.__name__)
        nodes[key] = node
    return nodes
