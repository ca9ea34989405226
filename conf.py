"""Sphinx settings for Stage 14: Psychedelics & Neuroplastic Renewal.

Settings only: the behaviour lives in the ``textbook`` extension (_ext/textbook).
"""

import sys
from pathlib import Path

# The local extension lives beside this file, not on PyPI.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Project ------------------------------------------------------------------
project = "Stage 14: Psychedelics & Neuroplastic Renewal"
author = "The Open Psychiatry Textbook contributors"
copyright = "2026, The Open Psychiatry Textbook contributors (CC BY-SA 4.0)"
release = "2026.11"
version = release
language = "en"

DISCLAIMER = (
    "This module is for education. It is not medical advice, and it does not "
    "recommend any treatment or dose for any person. Doses named in it are those "
    "used in the trials described. Clinical decisions belong to a qualified "
    "clinician who knows the person, the local regulations and the current evidence."
)

extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "textbook",
]

exclude_patterns = [
    "_build", "README.md", "CONTRIBUTING.md", "ARCHITECTURE.md", "_drafts",
    ".venv", ".pytest_cache", "tests", "benchmarks", ".github", "scripts", "_templates",
]
root_doc = "index"
nitpicky = True  # every cross-reference must resolve

# -- MyST -----------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- Lessons (textbook extension) -------------------------------------------------
textbook_stages = {14: "Psychedelics & Neuroplastic Renewal"}
textbook_concepts_per_stage = 5
textbook_series = {"ketamine": {"title": "Ketamine in Mental Health series", "prefix": "KS"}}

# -- Citations ------------------------------------------------------------------
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "vancouver"  # numbered, as medical journals cite
bibtex_reference_style = "label"
bibtex_cite_id = "cite-{bibliography_count}-{key}"
bibtex_bibliography_id = "bibliography-{bibliography_count}"
bibtex_footcite_id = "footcite-{key}"
# Each chapter has its own numbered list and the Bibliography page lists all:
# one paper in several lists, and the number 1 in every list, are by design.
# A citation resolves to the list in its own chapter first. A paper entered
# twice in references.bib is still an error (bibtex.bibfile_data_error).
suppress_warnings = ["bibtex.duplicate_citation", "bibtex.duplicate_label"]

# -- HTML -----------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Stage 14: Psychedelics & Neuroplastic Renewal"
html_static_path = ["_static"]
html_css_files = ["textbook.css"]
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
# The book has no index entries: the general index page would be empty, and
# rendering it cost every build (even one with nothing to do) a page.
html_use_index = False
html_theme_options = {
    "show_toc_level": 2,
    # Chapters are leaves of the table of contents and the sidebar lists titles
    # only, so these show the same links; without them Sphinx copies every
    # chapter's section tree into every page before dropping it, work that grows
    # with the square of the number of chapters.
    "max_navbar_depth": 1,
    "collapse_navbar": True,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "navigation_with_keys": False,
    "extra_footer": f'<p class="textbook-disclaimer">{DISCLAIMER}</p>',
}

# -- LaTeX / PDF ------------------------------------------------------------------
latex_engine = "xelatex"
latex_documents = [
    # LaTeX markup, not plain text: the ampersand is escaped.
    ("index", "stage14-psychedelics-neuroplastic-renewal.tex",
     r"Stage 14: Psychedelics \& Neuroplastic Renewal", author, "manual"),
]
latex_show_urls = "no"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "fontpkg": r"""
\setmainfont{TeX Gyre Pagella}
\setsansfont{TeX Gyre Heros}[Scale=MatchLowercase]
\setmonofont{DejaVu Sans Mono}[Scale=MatchLowercase]
""",
    "fncychap": r"\usepackage[Sonny]{fncychap}",
    "maketitle": r"\sphinxmaketitle" + "\n" + rf"\textbookdisclaimer{{{DISCLAIMER}}}",
    "printindex": "",
    "sphinxsetup": "hmargin={2.4cm,2.4cm}, vmargin={2.4cm,2.6cm}",
}

# -- EPUB -------------------------------------------------------------------------
epub_basename = "stage14-psychedelics-neuroplastic-renewal"
epub_show_urls = "no"
