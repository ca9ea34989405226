"""The post-build safety scan: nothing active in the published HTML, EPUB and PDF.

    python -m textbook.safety.scan [_build]     (PYTHONPATH=_ext; the last step of `make book`)

The builds refuse active content where it enters (content.py, confine.py);
this scan checks what came out, so a gap in those rules, a theme update or a
new extension cannot publish it unnoticed. In every HTML, XHTML and SVG file
(the HTML folder, and inside each .epub) it refuses:

- event-handler attributes (``on…=``), except the theme's own print button;
- ``javascript:``, ``vbscript:`` and ``data:`` URLs, and links whose scheme is
  not allowed (``rules.ALLOWED_SCHEMES``); files loaded from another host;
- ``<meta http-equiv>``, ``<base>``;
- ``<iframe>``, ``<frame>``, ``<object>``, ``<embed>``, ``<applet>``, ``<portal>``;
- ``<script>`` inside the page's content, or outside it unless the theme's own:
  inline, or a file under ``_static/`` (or Sphinx's ``searchindex.js``);
- in SVG, ``<script>`` and ``<foreignObject>``.

In each PDF: link actions other than allowed URLs and pages of the document
(JavaScript, launching programs, submitting forms, other files), and embedded files.

The HTML and EPUB builders run it on what they wrote (``build-finished``);
every finding is an error naming the file, so a strict build fails. Exit
status 1 if anything is found.
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .rules import link_problem

MARKUP_SUFFIXES = (".html", ".htm", ".xhtml", ".svg")
REFUSED_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal", "base"}
#: Attributes whose value is a URL a browser follows or loads.
LINK_ATTRIBUTES = {"href", "xlink:href", "action", "formaction", "cite", "longdesc", "ping", "manifest",
                   "codebase", "usemap"}
LOAD_ATTRIBUTES = {"src", "srcset", "data", "poster", "background", "lowsrc", "dynsrc", "imagesrcset"}
#: Handlers in the theme's own markup: sphinx-book-theme's "print this page" button.
THEME_HANDLERS = {("onclick", "window.print()")}
#: The elements holding a page's content, in the HTML theme and the EPUB theme.
CONTENT_TAGS = {"article"}
#: Jinja templates the theme copies into ``_static/`` as they are: never served as pages.
THEME_TEMPLATES = ("webpack-macros.html",)


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: error: {self.message} (safety-scan)"


class _Scanner(HTMLParser):
    def __init__(self, name: str, *, svg: bool):
        super().__init__(convert_charrefs=True)
        self.name, self.svg = name, svg
        self.findings: list[Finding] = []
        self.content_tag: str | None = None
        self.content_depth = 0

    def _find(self, message: str) -> None:
        self.findings.append(Finding(self.name, self.getpos()[0], message))

    def handle_starttag(self, tag: str, attrs) -> None:
        self._element(tag, attrs)
        if self.content_tag == tag:
            self.content_depth += 1
        elif self.content_tag is None and (tag in CONTENT_TAGS or dict(attrs).get("role") == "main"
                                          and tag == "div"):
            self.content_tag, self.content_depth = tag, 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        self._element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == self.content_tag:
            self.content_depth -= 1
            if self.content_depth == 0:
                self.content_tag = None

    def _element(self, tag: str, attrs) -> None:
        tag = tag.lower()
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag in REFUSED_TAGS:
            self._find(f"<{tag}> is not allowed in a published page")
        if tag == "meta" and "http-equiv" in values:
            self._find(f"<meta http-equiv=\"{values['http-equiv']}\"> is not allowed in a published page")
        if tag == "script":
            self._script(values)
        if self.svg and tag in ("foreignobject", "script"):
            self._find(f"<{tag}> is not allowed in a drawing")
        for name, value in values.items():
            if name.startswith("on") and (name, value.strip()) not in THEME_HANDLERS:
                self._find(f"event-handler attribute {name}=\"{value[:60]}\" is not allowed")
            elif name in LINK_ATTRIBUTES:
                problem = link_problem(value)
                if problem:
                    self._find(f"<{tag} {name}=\"{value[:60]}\">: {problem}")
            elif name in LOAD_ATTRIBUTES:
                for url in (value.split(",") if "srcset" in name else [value]):
                    url = url.strip().split(" ")[0] if "srcset" in name else url.strip()
                    if _loads_from_elsewhere(url):
                        self._find(f"<{tag} {name}=\"{url[:60]}\">: a page loads only files of the book")
            elif name == "style" and any(word in value.lower() for word in ("javascript:", "data:", "expression(",
                                                                            "url(http", "url(//")):
                self._find(f"style=\"{value[:60]}\": no scripts or other hosts' files in a style")

    def _script(self, values: dict[str, str]) -> None:
        source = values.get("src", "")
        if self.content_tag is not None:
            self._find("a <script> inside the page's content is not allowed")
        elif source and (_loads_from_elsewhere(source) or not _theme_script(source)):
            self._find(f"<script src=\"{source[:80]}\"> is not one of the theme's scripts (under _static/)")


def _loads_from_elsewhere(url: str) -> bool:
    """A page loads only the book's own files: relative URLs, no scheme, no other host."""
    compact = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    return compact.startswith("//") or re.match(r"[a-z][a-z0-9+.-]*:", compact) is not None


def _theme_script(source: str) -> bool:
    path = source.split("?")[0].split("#")[0]
    parts = [part for part in path.split("/") if part not in ("", ".", "..")]
    # The 404 page (sphinx-notfound-page) links the theme's files from the site's root,
    # "/<site path>/_static/...", so that it works at any depth.
    from_site_root = path.startswith("/") and "_static" in parts[:3]
    return bool(parts) and (parts[0] == "_static" or from_site_root or parts == ["searchindex.js"])


def scan_markup(name: str, text: str) -> list[Finding]:
    scanner = _Scanner(name, svg=name.lower().endswith(".svg"))
    scanner.feed(text)
    scanner.close()
    return scanner.findings


def scan_files(paths: Iterable[Path], root: Path | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for path in paths:
        name = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        if path.suffix.lower() == ".epub":
            findings += scan_epub(path, name)
        elif path.suffix.lower() == ".pdf":
            findings += scan_pdf(path, name)
        elif path.suffix.lower() in MARKUP_SUFFIXES:
            findings += scan_markup(name, path.read_text(encoding="utf-8", errors="replace"))
    return findings


def scan_epub(path: Path, name: str) -> list[Finding]:
    findings: list[Finding] = []
    try:
        with zipfile.ZipFile(path) as book:
            for member in book.namelist():
                if member.lower().endswith(MARKUP_SUFFIXES):
                    text = book.read(member).decode("utf-8", errors="replace")
                    findings += scan_markup(f"{name}!{member}", text)
    except zipfile.BadZipFile:
        findings.append(Finding(name, 1, "not a readable EPUB (zip) file"))
    return findings


#: PDF actions a published file may carry: go to a page of itself, or open an allowed URL.
PDF_ALLOWED_ACTIONS = {"/GoTo", "/URI", "/Named"}


def scan_pdf(path: Path, name: str) -> list[Finding]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    findings: list[Finding] = []
    try:
        reader = PdfReader(path)
        root = reader.trailer["/Root"].get_object()
        names = root.get("/Names")
        names = names.get_object() if names is not None else {}
        for refused, what in (("/JavaScript", "JavaScript"), ("/EmbeddedFiles", "embedded files")):
            if refused in names:
                findings.append(Finding(name, 1, f"the PDF carries {what}"))
        for action in _pdf_actions(root.get("/OpenAction"), root.get("/AA")):
            findings += _pdf_action_findings(name, 1, action)
        for number, page in enumerate(reader.pages, 1):
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if annotation.get("/Subtype") == "/FileAttachment":
                    findings.append(Finding(name, number, "an attached file (page number as line)"))
                for action in _pdf_actions(annotation.get("/A"), annotation.get("/AA")):
                    findings += _pdf_action_findings(name, number, action)
    except (PyPdfError, OSError, KeyError, ValueError) as error:
        findings.append(Finding(name, 1, f"the PDF cannot be read ({error})"))
    return findings


def _pdf_actions(*objects) -> Iterator[dict]:
    for item in objects:
        if item is None:
            continue
        item = item.get_object()
        if hasattr(item, "get") and "/S" in item:
            yield item
        elif hasattr(item, "values"):  # an additional-actions dictionary: trigger -> action
            for value in item.values():
                value = value.get_object()
                if hasattr(value, "get") and "/S" in value:
                    yield value


def _pdf_action_findings(name: str, page: int, action) -> list[Finding]:
    kind = str(action.get("/S"))
    if kind not in PDF_ALLOWED_ACTIONS:
        return [Finding(name, page, f"a {kind[1:]} action is not allowed in a published PDF (page number as line)")]
    if kind == "/URI":
        uri = action.get("/URI")
        uri = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri)
        problem = link_problem(uri)
        if problem:
            return [Finding(name, page, f"link to {uri[:60]!r}: {problem} (page number as line)")]
    return []


def is_theme_template(path: Path) -> bool:
    return "_static" in path.parts and path.name.endswith(THEME_TEMPLATES)


def published_files(build: Path) -> list[Path]:
    """The files `make book` publishes: the HTML folder (with its downloads) and the EPUB."""
    found = [p for p in sorted((build / "html").rglob("*")) if p.suffix.lower() in (*MARKUP_SUFFIXES, ".pdf")
             and p.is_file() and not is_theme_template(p)]
    found += sorted((build / "epub").glob("*.epub"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m textbook.safety.scan", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path,
                        help="a build folder (with html/ and epub/) or files; default: _build")
    args = parser.parse_args(argv)
    files: list[Path] = []
    for path in args.paths or [Path("_build")]:
        if path.is_dir() and ((path / "html").is_dir() or (path / "epub").is_dir()):
            files += published_files(path)
        elif path.is_dir():
            files += [p for p in sorted(path.rglob("*")) if p.is_file()]
        elif path.is_file():
            files.append(path)
        else:
            print(f"safety scan: error: {path} not found: build first", file=sys.stderr)
            return 1
    findings = scan_files(files)
    for finding in findings:
        print(finding)
    print(f"safety scan: {len(files)} file(s), {len(findings)} problem(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
