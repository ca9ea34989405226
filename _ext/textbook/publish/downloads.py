"""Publish the downloads with the HTML: the module PDF, one PDF per chapter, the EPUB.

    python -m textbook.publish.downloads [--build _build]      (PYTHONPATH=_ext; `make downloads`)

Run after `make html pdf epub`. Reads the list of chapters the LaTeX build wrote
(``_build/latex/textbook-downloads.json``: each chapter's title and file name),
finds each chapter's entry in the module PDF's outline by its title, and writes
its pages (from its opening to the page before the next outline entry at the
same or a higher level, less trailing blank pages) as a PDF of its own, titled
with the chapter, naming the module in its subject, and carrying the module's
other metadata (author, keywords, language, the title shown in the window). The module PDF, the
chapter PDFs and the EPUB go into ``_build/html/downloads/``, where the pages
link them.

Problems (a file not built yet, a chapter missing from the outline) are reported
as one line each and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import NameObject, TextStringObject

from .downloadlinks import MANIFEST  # written by the LaTeX build


class DownloadError(Exception):
    """A problem the reader of the message can fix; printed without a traceback."""


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    depth: int
    page: int  # 0-based


def _same_title(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return norm(a) == norm(b)


def outline_entries(reader: PdfReader) -> list[OutlineEntry]:
    """The outline (bookmarks), flattened in reading order, with each entry's depth and page."""
    entries: list[OutlineEntry] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            page = reader.get_destination_page_number(item)
            if page is not None and page >= 0:
                entries.append(OutlineEntry(str(item.title), depth, page))

    walk(reader.outline, 0)
    return entries


@dataclass(frozen=True)
class Chapter:
    pages: range  # 0-based pages of the module PDF
    outline: list[OutlineEntry]  # the chapter's entry and its sections


def find_chapter(reader: PdfReader, entries: list[OutlineEntry], title: str) -> Chapter:
    """The chapter titled ``title``: its pages run to the next outline entry at its level or above."""
    found = [i for i, entry in enumerate(entries) if _same_title(entry.title, title)]
    if not found:
        raise KeyError(title)
    # A section elsewhere may share the title: the chapter is the shallowest entry.
    index = min(found, key=lambda i: entries[i].depth)
    start = entries[index]
    following = next((i for i in range(index + 1, len(entries)) if entries[i].depth <= start.depth),
                     len(entries))
    end = entries[following].page if following < len(entries) else len(reader.pages)
    end = max(end, start.page + 1)
    # A chapter opens on a right-hand page: the blank left-hand page before the next one is not its own.
    while end - 1 > start.page and not reader.pages[end - 1].extract_text().strip():
        end -= 1
    return Chapter(range(start.page, end), entries[index:following])


def _add_outline(writer: PdfWriter, chapter: Chapter) -> None:
    """The chapter's own bookmarks: its title, with its sections nested as in the module."""
    parents: list[tuple[int, object]] = []  # (depth, outline item) of the open ancestors
    for entry in chapter.outline:
        while parents and parents[-1][0] >= entry.depth:
            parents.pop()
        parent = parents[-1][1] if parents else None
        item = writer.add_outline_item(title=entry.title, page_number=entry.page - chapter.pages.start,
                                       parent=parent)
        parents.append((entry.depth, item))


def _copy_metadata(reader: PdfReader, writer: PdfWriter, *, title: str, module: dict) -> None:
    """The module's metadata (author, subject, keywords, language, show the title not the
    file name), with the chapter's own title, and the module named in the subject."""
    info = reader.metadata or {}
    subject = str(info.get("/Subject", "")).strip()
    metadata = {"/Author": module["author"],
                "/Subject": f"{module['title']} — {subject}" if subject else module["title"]}
    for key in ("/Keywords", "/Creator"):
        if info.get(key):
            metadata[key] = str(info[key])
    metadata["/Title"] = title
    writer.add_metadata(metadata)
    language = reader.root_object.get("/Lang")
    if language:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(language))
    preferences = reader.viewer_preferences
    if preferences is not None and preferences.get("/DisplayDocTitle"):
        writer.create_viewer_preferences().display_doctitle = True


def write_chapter(reader: PdfReader, chapter: Chapter, target: Path, *, title: str, module: dict) -> None:
    pages = chapter.pages
    writer = PdfWriter()
    # The module's outline would bring its part titles along; the chapter gets its own.
    writer.append(reader, pages=(pages.start, pages.stop), import_outline=False)
    _add_outline(writer, chapter)
    _copy_metadata(reader, writer, title=title, module=module)
    # Keep the module's page numbers, so "see page 47" and the footers agree.
    label = reader.page_labels[pages.start]
    if label.isdigit():
        writer.set_page_label(0, len(pages) - 1, style="/D", start=int(label))
    writer.page_mode = "/UseOutlines"
    with target.open("wb") as stream:
        writer.write(stream)


def publish(build: Path) -> list[str]:
    """Write every download into the HTML output; return one line per file written."""
    manifest_path = build / "latex" / MANIFEST
    if not manifest_path.is_file():
        raise DownloadError(f"{manifest_path} not found: build the PDF first (make pdf)")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        module = manifest["module"]
        titles = [(chapter["title"], chapter["docname"]) for chapter in manifest["chapters"]]
    except (ValueError, KeyError, TypeError) as problem:
        raise DownloadError(f"{manifest_path} is not what the LaTeX build writes ({problem!r}): "
                            "run make pdf again") from None
    # A chapter's pages are found by its title: two chapters with one title would get one chapter's pages.
    seen: dict[str, str] = {}
    for title, docname in titles:
        key = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", title)).strip().casefold()
        if key in seen:
            raise DownloadError(f"{docname} and {seen[key]} have the same title '{title}': each chapter's "
                                "title must be unique (its PDF is cut from the module by title)")
        seen[key] = docname
    pdf = build / "latex" / module["pdf"]
    epub = build / "epub" / module["epub"]
    if not pdf.is_file():
        raise DownloadError(f"{pdf} not found: build the PDF first (make pdf)")
    if pdf.stat().st_mtime < manifest_path.stat().st_mtime:
        raise DownloadError(f"{pdf} is older than its LaTeX build: run make pdf again")
    if not epub.is_file():
        raise DownloadError(f"{epub} not found: build the EPUB first (make epub)")

    try:
        reader = PdfReader(pdf)
        entries = outline_entries(reader)
    except PdfReadError as problem:
        raise DownloadError(f"{pdf} cannot be read ({problem}): run make pdf again") from None
    chapters = {}
    for chapter in manifest["chapters"]:
        try:
            chapters[chapter["file"]] = find_chapter(reader, entries, chapter["title"])
        except KeyError:
            known = "; ".join(e.title for e in entries) or "none"
            raise DownloadError(
                f"{pdf}: no outline entry titled '{chapter['title']}' ({chapter['docname']}); "
                f"the outline has: {known}. Is the PDF older than the chapter? Run make pdf."
            ) from None

    out = build / "html" / manifest["directory"]
    if out.exists():
        shutil.rmtree(out)  # no chapter PDF outlives its chapter
    out.mkdir(parents=True)
    written = []
    for chapter in manifest["chapters"]:
        target, found = out / chapter["file"], chapters[chapter["file"]]
        write_chapter(reader, found, target, title=chapter["title"], module=module)
        written.append(f"{target}  pages {found.pages.start + 1}-{found.pages.stop} of the module"
                       f"  ({target.stat().st_size // 1024} KB)")
    for source in (pdf, epub):
        shutil.copyfile(source, out / source.name)
        written.append(f"{out / source.name}  ({source.stat().st_size // 1024} KB)")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m textbook.publish.downloads", description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=Path("_build"),
                        help="the build folder, holding latex/, epub/ and html/ (default: _build)")
    args = parser.parse_args(argv)
    try:
        lines = publish(args.build)
    except DownloadError as problem:
        print(f"downloads: error: {problem}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
