"""The glossary: Sphinx's {glossary} through MyST, {term} links to it, and the checker's rule."""

from docutils import nodes
from sphinx import addnodes

GLOSSARY = """# Glossary

```{glossary}
:sorted:

TRD
treatment-resistant depression
  Depression that has not improved enough with adequate treatment.

NMDA receptor
  A glutamate receptor that ketamine blocks.
```
"""

PAGE = """# Page

Ketamine blocks the {term}`NMDA receptors <NMDA receptor>` in people with
{term}`treatment-resistant depression`.
"""


def test_term_links_resolve_to_the_glossary_entry(project):
    app = project.build({"glossary.md": GLOSSARY, "page.md": PAGE})
    assert project.warnings() == ""
    links = [(ref["reftype"], ref["reftarget"], ref.astext())
             for ref in app.env.get_doctree("page").findall(addnodes.pending_xref)]
    assert links == [("term", "NMDA receptor", "NMDA receptors"),
                     ("term", "treatment-resistant depression", "treatment-resistant depression")]
    html = project.output("page.html")
    assert '<a class="reference internal" href="glossary.html#term-NMDA-receptor">' in html
    assert 'href="glossary.html#term-treatment-resistant-depression"' in html


def test_two_names_of_one_term_are_one_sorted_entry(project):
    app = project.build({"glossary.md": GLOSSARY, "page.md": PAGE})
    doctree = app.env.get_doctree("glossary")
    entries = [[term.astext() for term in item.findall(nodes.term)]
               for item in doctree.findall(nodes.definition_list_item)]
    assert entries == [["NMDA receptor"], ["TRD", "treatment-resistant depression"]]


def test_glossary_is_a_description_list_with_linked_terms_in_latex(project):
    project.build({"glossary.md": GLOSSARY, "page.md": PAGE}, builder="latex")
    tex = project.output("tiny.tex")
    assert r"\begin{description}" in tex
    assert r"\hyperref[\detokenize{glossary:term-NMDA-receptor}]{\sphinxtermref{" in tex


def test_unknown_term_is_a_warning_naming_file_and_line(project):
    # The strict build (-n -W) fails on it. MyST gives the line where the
    # paragraph starts; the checker's glossary-term rule gives the exact line.
    page = PAGE.replace("{term}`treatment-resistant depression`", "{term}`resistant depression`")
    project.build({"glossary.md": GLOSSARY, "page.md": page})
    assert "page.md:3: WARNING: term not in glossary: 'resistant depression' [ref.term]" in project.warnings()
