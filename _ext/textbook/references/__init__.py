"""The references wing: numbered Vancouver references from ``references.bib``.

On top of sphinxcontrib-bibtex: the ``vancouver`` pybtex style (``bibstyle``) and
its memo kept between builds (``refcache``), an indexed ``cite`` domain
(``citedomain``), and each chapter's own numbered list in every format (``lists``).
"""

from __future__ import annotations


def setup_references(app) -> None:
    from docutils import nodes
    from pybtex.backends.plaintext import Backend as PlainTextBackend
    from pybtex.plugin import register_plugin

    from . import lists, refcache
    from .bibstyle import VancouverStyle
    from .citedomain import IndexedBibtexDomain

    # The cite domain below replaces sphinxcontrib-bibtex's, so that must load first.
    app.setup_extension("sphinxcontrib.bibtex")
    app.add_domain(IndexedBibtexDomain, override=True)

    register_plugin("pybtex.style.formatting", "vancouver", VancouverStyle)
    # sphinxcontrib-bibtex asks pybtex for its plain-text backend by name for every
    # citation it resolves, and each ask scans every installed package's entry points
    # (a few ms each, 2,400 times in a 200-chapter book); registered, it is a dict lookup.
    register_plugin("pybtex.backends", "plaintext", PlainTextBackend, force=True)
    app.connect("env-before-read-docs", refcache.lend_memo)
    # After sphinxcontrib-bibtex's own env-updated handler (priority 500) formatted the lists.
    app.connect("env-updated", refcache.drop_unused, priority=900)

    app.add_node(nodes.citation, override=True,
                 html=(lists.visit_citation_html, lists.depart_citation_html))
    app.add_node(lists.reference_list, latex=(lists.visit_reference_list_latex,
                                             lists.depart_reference_list_latex))
    app.add_node(lists.reference_item, latex=(lists.visit_reference_item_latex,
                                             lists.depart_reference_item_latex))
    app.add_post_transform(lists.KeepReferencesInChapter)
