"""The safety scan at the end of an HTML or EPUB build (see ``scan.py`` for what it looks for).

An HTML build scans every page it wrote. A page whose bytes are the same as a page that
an earlier build of the same doctree folder scanned and found clean is not parsed again
(the search page and the 404 page are rewritten, unchanged, by every build); the digests
of clean pages are kept in the doctree folder, with the scanner's own version, so a
change to the scan's rules scans everything again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sphinx.util import logging

from ..files import whole_file
from ..publish.written import output_files, started
from . import scan

logger = logging.getLogger(__name__)

def scan_what_was_written(app, exception) -> None:
    """After an HTML or EPUB build: the safety scan over the pages written, and the .epub file."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    since = started(outdir) - 1
    if app.builder.name == "epub":
        findings = scan.scan_files(sorted(outdir.glob("*.epub")), outdir)
    else:
        files = [path for path, mtime in output_files(outdir) if path.suffix.lower() in scan.MARKUP_SUFFIXES
                 and mtime >= since and not scan.is_theme_template(path)]
        findings = _scan_pages(files, outdir, Path(app.doctreedir) / CLEAN_PAGES, len(app.env.found_docs))
    for finding in findings:
        logger.error(f"safety scan: {finding.message}", location=f"{outdir / finding.file}:{finding.line}")


#: Digests of page contents the scan found clean, in the doctree folder.
CLEAN_PAGES = "safety-scan-clean.json"


def _scan_pages(files: list[Path], outdir: Path, record: Path, documents: int) -> list[scan.Finding]:
    version = _scanner_version()
    try:
        saved = json.loads(record.read_text(encoding="utf-8"))
        clean = set(saved["clean"]) if saved.get("version") == version else set()
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        clean = set()
    findings: list[scan.Finding] = []
    seen: set[str] = set()
    for path in files:
        digest = hashlib.sha256(path.suffix.lower().encode() + b"\0" + path.read_bytes()).hexdigest()
        seen.add(digest)
        if digest in clean:
            continue
        found = scan.scan_files([path], outdir)
        findings += found
        if not found:
            clean.add(digest)
    if len(clean) > 4 * documents + 16:  # pages long since rewritten: keep this build's
        clean &= seen
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        with whole_file(record) as partial:
            partial.write_text(json.dumps({"version": version, "clean": sorted(clean)}), encoding="utf-8")
    except OSError:
        pass  # a read-only doctree folder: every page is scanned next time
    return findings


def _scanner_version() -> str:
    """The scan's own code and rules: a change to either makes every page be scanned again."""
    from . import rules

    return hashlib.sha256(Path(scan.__file__).read_bytes() + Path(rules.__file__).read_bytes()).hexdigest()[:16]
