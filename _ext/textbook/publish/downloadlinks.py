"""Downloads offered on the web pages: the module PDF, a PDF per chapter, the EPUB.

The files are made after the builds, by ``python -m textbook.publish.downloads`` (see
that module): it splits the module PDF along its outline into one PDF per
chapter and puts all the files in ``textbook_downloads_dir`` inside the HTML
output. This module makes the builds agree with it on names:

- the LaTeX build writes ``textbook-downloads.json`` beside the .tex file: the
  chapters (the documents of the "Part …" toctrees) with their titles and
  file names, and the names of the module PDF and EPUB;
- the HTML build links those files from every page: the theme's download menu
  gets "This chapter (PDF)", "Whole module (PDF)" and "Module (EPUB)", and each
  chapter opens with a line of plain links that works without JavaScript.

The EPUB carries no such links (they would point outside the book).
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.util.osutil import relative_uri

from ..lesson import nodes as tb
from .parts import chapters_in_parts

#: Written by the LaTeX build beside the .tex file; read by ``python -m textbook.publish.downloads``.
MANIFEST = "textbook-downloads.json"

#: The builders whose pages link the downloads (one page per document, in the HTML folder).
WEB_BUILDERS = ("html", "dirhtml")


def chapter_pdf(docname: str) -> str:
    """The file name of a chapter's PDF: its document's name (``l14-4-ketamine-beyond-trd.pdf``)."""
    return posixpath.basename(docname) + ".pdf"


def module_pdf(config) -> str:
    """The module PDF's file name, from the ``latex_documents`` entry of the root document."""
    for entry in config.latex_documents:
        if entry[0] == config.root_doc:
            return posixpath.splitext(entry[1])[0] + ".pdf"
    return posixpath.splitext(config.latex_documents[0][1])[0] + ".pdf"


def module_epub(config) -> str:
    return config.epub_basename + ".epub"


def downloads(env, docname: str) -> list[tuple[str, str, str]]:
    """(label, file path inside the HTML output, kind) for each download offered on a page."""
    folder = env.config.textbook_downloads_dir
    offered = []
    if docname in chapters_in_parts(env):
        offered.append(("this chapter (PDF)", f"{folder}/{chapter_pdf(docname)}", "chapter-pdf"))
    offered.append(("whole module (PDF)", f"{folder}/{module_pdf(env.config)}", "module-pdf"))
    offered.append(("EPUB", f"{folder}/{module_epub(env.config)}", "epub"))
    return offered


# -- The list of chapters, for the PDF splitter ---------------------------------

def write_manifest(app, exception: Exception | None) -> None:
    """After a LaTeX build: which chapters to cut from the PDF, by title, and into which files."""
    if exception is not None or app.builder.name != "latex":
        return
    env, config = app.env, app.config
    chapters = [{"docname": docname, "title": env.titles[docname].astext(), "file": chapter_pdf(docname)}
                for docname in chapters_in_parts(env)]
    manifest = {
        "module": {"title": config.project, "author": config.author,
                   "pdf": module_pdf(config), "epub": module_epub(config)},
        "directory": config.textbook_downloads_dir,
        "chapters": chapters,
    }
    path = Path(app.outdir) / MANIFEST
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    # Rewritten only when it changes: the splitter takes a PDF older than this list as stale,
    # and latexmk leaves the PDF alone when the .tex has not changed.
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


# -- The line of links at the top of a chapter -----------------------------------

def add_download_line(app, doctree: nodes.document, docname: str) -> None:
    """Put "Download: this chapter (PDF) · whole module (PDF) · EPUB" under a chapter's header.

    Plain links, so they work without JavaScript and with the keyboard; the
    print stylesheet hides them (class ``textbook-downloads``). At
    ``doctree-resolved``, as for the Key points page: the links are relative to
    the page, which only the builder knows.
    """
    if app.builder.name not in WEB_BUILDERS or docname not in chapters_in_parts(app.env):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    here = app.builder.get_target_uri(docname)
    line = nodes.paragraph(classes=["textbook-downloads"])
    line += nodes.Text("Download: ")
    for number, (label, path, kind) in enumerate(downloads(app.env, docname)):
        if number:
            line += nodes.Text(" · ")
        line += nodes.reference(label, label, refuri=relative_uri(here, path), internal=True,
                                classes=[f"textbook-download-{kind}"])
    # After the title, and after the lesson header where the chapter has one.
    headers = [index for index, child in enumerate(section.children) if isinstance(child, tb.lesson_header)]
    section.insert((headers[0] if headers else 0) + 1, line)


# -- The theme's download menu ----------------------------------------------------

#: How the download menu names each file, with its Font Awesome icon (shipped by the theme).
MENU_ITEMS = {
    "chapter-pdf": ("This chapter (PDF)", "Download this chapter as a PDF", "fas fa-file-pdf"),
    "module-pdf": ("Whole module (PDF)", "Download the whole module as a PDF", "fas fa-book"),
    "epub": ("Module (EPUB)", "Download the module as an EPUB e-book", "fas fa-tablet-screen-button"),
}


def add_download_menu_items(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Fill sphinx-book-theme's download menu with the book's own files.

    Runs after the theme has made its menu (priority 501). The theme's link to
    the page's source is dropped when sources are not copied (it would lead
    nowhere); its "print this page" button stays, named for what it does.
    """
    if app.builder.name not in WEB_BUILDERS or "header_buttons" not in context:
        return
    pathto = context["pathto"]
    items = []
    for _label, path, kind in downloads(app.env, pagename):
        text, tooltip, icon = MENU_ITEMS[kind]
        items.append({"type": "link", "url": pathto(path, 1), "text": text, "tooltip": tooltip,
                      "icon": icon, "label": f"download-{kind}-button"})
    buttons = context["header_buttons"]
    menu = next((b for b in buttons if b.get("label") == "download-buttons"), None)
    if menu is None:
        # Pages without a source (the index, search) get the menu too.
        menu = {"type": "group", "icon": "fas fa-download", "label": "download-buttons", "buttons": []}
        buttons.insert(0, menu)
    kept = []
    for button in menu["buttons"]:
        if button.get("label") == "download-source-button" and not app.config.html_copy_source:
            continue
        if button.get("label") == "download-pdf-button":
            button = {**button, "text": "Print this page", "tooltip": "Print this page, or save it as a PDF",
                      "icon": "fas fa-print"}
        kept.append(button)
    menu["buttons"] = items + kept
    menu["tooltip"] = "Downloads"
