"""The safety scan at the end of an HTML or EPUB build (see ``scan.py`` for what it looks for)."""

from __future__ import annotations

import time
from pathlib import Path

from sphinx.util import logging

from . import scan

logger = logging.getLogger(__name__)

#: When each HTML or EPUB build began, by output folder: the scan reads the files written since.
_started: dict[str, float] = {}


def note_start(app) -> None:
    _started[str(app.outdir)] = time.time()


def scan_what_was_written(app, exception) -> None:
    """After an HTML or EPUB build: the safety scan over the pages written, and the .epub file."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    since = _started.get(str(outdir), 0) - 1
    if app.builder.name == "epub":
        files = sorted(outdir.glob("*.epub"))
    else:
        files = [path for path in outdir.rglob("*") if path.suffix.lower() in scan.MARKUP_SUFFIXES
                 and path.is_file() and path.stat().st_mtime >= since and not scan.is_theme_template(path)]
    for finding in scan.scan_files(files, outdir):
        logger.error(f"safety scan: {finding.message}", location=f"{outdir / finding.file}:{finding.line}")
