"""The LaTeX side: ship ``textbook.sty`` (the named environments) with the build."""

from __future__ import annotations

import shutil
from pathlib import Path

STYLE_FILE = Path(__file__).parent / "latex" / "textbook.sty"


def copy_style_file(app) -> None:
    """Put textbook.sty beside the .tex file, where ``\\usepackage{textbook}`` finds it."""
    if app.builder.format != "latex":
        return
    outdir = Path(app.builder.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(STYLE_FILE, outdir / STYLE_FILE.name)
