"""Sphinx settings for Stage 14: Psychedelics & Neuroplastic Renewal.

Settings only: the behaviour lives in the ``textbook`` extension (_ext/textbook).
"""

import os
import sys
from pathlib import Path

# The local extension lives beside this file, not on PyPI.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Project ------------------------------------------------------------------
project = "Stage 14: Psychedelics & Neuroplastic Renewal"
author = "The Open Psychiatry Textbook contributors"
copyright = "2026, The Open Psychiatry Textbook contributors (CC BY-SA 4.0)"
release = "2026.12"
version = release
language = "en"

DISCLAIMER = (
    "This module is for education. It is not medical advice, and it does not "
    "recommend any treatment or dose for any person. Doses named in it are those "
    "used in the trials described. Clinical decisions belong to a qualified "
    "clinician who knows the person, the local regulations and the current evidence."
)
# The short form under the footer of every PDF page, so an extracted chapter carries it.
DISCLAIMER_SHORT = (
    "For education only: not medical advice. Doses named are those used in the trials described."
)

extensions = [
    "myst_parser",
    # Before sphinxcontrib.bibtex, which the textbook extension sets up itself after
    # making pybtex's plugin look-ups cheap (_ext/textbook/speed/entrypoints.py).
    "textbook",
    "sphinxcontrib.bibtex",
    "sphinxext.opengraph",  # link cards (title, description, image)
    "sphinx_sitemap",  # sitemap.xml
    "notfound.extension",  # a 404 page whose links work from any depth
]

exclude_patterns = [
    "_build", "README.md", "CONTRIBUTING.md", "ARCHITECTURE.md", "_drafts",
    ".venv", ".pytest_cache", "tests", "benchmarks", ".github", "scripts", "_templates",
    "evidence",  # trial records (YAML) and their README, read by the textbook extension
    "node_modules",  # the EPUB checker's packages (package.json), installed by scripts/setup.sh
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
# _templates/static/webpack-macros.html keeps the theme's 1.5 MB fontawesome.js off the page.
templates_path = ["_templates"]
html_css_files = ["textbook.css"]
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
# Follow the reader's system colour setting; unset, the theme logs an error on a first visit.
html_context = {"default_mode": "auto"}
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

# -- Found and shared (textbook/site) -------------------------------------------------
# The published site's address: canonical links, sitemap, link cards, citations. CI sets
# TEXTBOOK_BASEURL to the GitHub Pages address; a local build points at `make serve`.
html_baseurl = os.environ.get("TEXTBOOK_BASEURL", "http://127.0.0.1:8000/")
sitemap_url_scheme = "{link}"  # one language, one version: no /en/2026.11/ in the addresses
sitemap_excludes = ["search.html", "404.html"]
ogp_social_cards = {"enable": False}  # our own cards (Pillow), not matplotlib's
ogp_enable_meta_description = True  # pages other than chapters: from their first paragraph
notfound_context = {
    "title": "Page not found",
    "body": "<h1>Page not found</h1><p>There is no page at this address. The contents "
            "are in the menu; the search box finds any word in the book.</p>",
}

# -- LaTeX / PDF ------------------------------------------------------------------
latex_engine = "xelatex"
latex_documents = [
    # LaTeX markup, not plain text: the ampersand is escaped.
    ("index", "stage14-psychedelics-neuroplastic-renewal.tex",
     r"Stage 14: Psychedelics \& Neuroplastic Renewal", author, "manual"),
]
latex_show_urls = "no"
# PDF metadata beyond Sphinx's title and author: the language, subject and keywords, and the
# title (not the file name) in a viewer's title bar. Each chapter PDF copies it (textbook.downloads).
PDF_SUBJECT = "Psychiatry education: the rapid-acting and psychedelic treatments, and the evidence for them"
PDF_KEYWORDS = ("psychiatry; psychedelics; psilocybin; ketamine; esketamine; MDMA-assisted therapy; "
                "neuroplasticity; treatment-resistant depression")
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
    "passoptionstopackages": rf"\PassOptionsToPackage{{pdflang={language}, pdfdisplaydoctitle=true, "
                             rf"pdfsubject={{{PDF_SUBJECT}}}, pdfkeywords={{{PDF_KEYWORDS}}}}}{{hyperref}}",
    "sphinxsetup": "hmargin={2.4cm,2.4cm}, vmargin={2.4cm,2.6cm}",
    "preamble": rf"\renewcommand{{\textbookfootnotice}}{{{DISCLAIMER_SHORT}}}",
}

# -- EPUB -------------------------------------------------------------------------
epub_basename = "stage14-psychedelics-neuroplastic-renewal"
epub_title = project
epub_author = author
epub_contributor = author
epub_publisher = author
epub_copyright = copyright
epub_description = (
    "An open psychiatry textbook module on the rapid-acting and psychedelic treatments: "
    "neuroplasticity, psilocybin, ketamine and esketamine, MDMA-assisted therapy, and a "
    "series of deep dives on ketamine in mental health."
)
# A fixed identifier (it carries a UUID made once): every release is the same book to
# an e-reader. Sphinx writes epub_uid both as the identifier's XML id and as the
# toc.ncx dtb:uid, which must equal the identifier: so the two are one value, a
# valid XML id (a letter first, no colons).
epub_scheme = "uuid"
epub_identifier = "stage14-ebe30392-72b3-4450-8554-eae6be5061da"
epub_uid = epub_identifier
epub_show_urls = "no"
epub_use_index = False  # the book has no index entries: no empty Index page
# The web stylesheet styles sphinx-book-theme; the EPUB's theme (from the textbook
# extension) has the book's styles for e-readers, and the notice closing every file.
epub_theme = "textbook_epub"
epub_theme_options = {"disclaimer": DISCLAIMER_SHORT}
epub_css_files = []
# Sphinx keeps the previous build's settings as .buildinfo.bak when they change;
# the EPUB holds neither that nor the web stylesheet.
epub_exclude_files = ["_static/textbook.css", ".buildinfo.bak"]

# -- Downloads ------------------------------------------------------------------------
# `make book` puts the module PDF, a PDF per chapter and the EPUB here, inside the HTML.
textbook_downloads_dir = "downloads"
