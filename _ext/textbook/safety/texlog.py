"""When LaTeX still fails: its error, mapped from the generated .tex back to the chapter and line.

    python -m textbook.safety.texlog [_build/latex]     (PYTHONPATH=_ext; `make pdf` runs it on failure)

The checker and the builds refuse what is known to stop LaTeX, but a LaTeX
error can still come from something new. LaTeX names a line of the one
generated ``.tex`` file; this reads the ``.log`` files (written with
``-file-line-error``, set in the Makefile), finds which document that line
belongs to (Sphinx labels each document's start ``\\label{\\detokenize{DOC::doc}}``)
and, from the words on that line, the line of the source that holds them.
One line per error:

    chapters/x.md:41: LaTeX error: Too deeply nested. (stage14.tex:1203)
"""

from __future__ import annotations

import argparse
import re
import sys
from difflib import SequenceMatcher
from pathlib import Path

ERROR = re.compile(r"^\./(?P<tex>[^:\n]+\.tex):(?P<line>\d+): (?P<message>.+)$", re.MULTILINE)
DOC_START = re.compile(r"\\label\{\\detokenize\{(?P<doc>[^}:]+)::doc\}\}")


def document_at(tex_lines: list[str], line: int) -> str | None:
    for number in range(min(line, len(tex_lines)) - 1, -1, -1):
        starts = DOC_START.findall(tex_lines[number])
        if starts:
            return starts[-1]
    return None


def plain_text(tex_line: str) -> str:
    tex_line = re.sub(r"\\(?:begin|end|label|hyperref|detokenize)\{[^}]*\}", " ", tex_line)
    return re.sub(r"\s+", " ", re.sub(r"\\[A-Za-z@]+\*?|[{}\[\]]", " ", tex_line)).strip()


def source_line(source: Path, tex_lines: list[str]) -> int | None:
    """The source line most like the first line of text at (or just after) the error."""
    text = next((plain for line in tex_lines[:6] if len(plain := plain_text(line)) >= 3), "")
    if not text:
        return None
    try:
        lines = source.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return None
    best, best_score = None, 2
    for number, line in enumerate(lines, 1):
        match = SequenceMatcher(None, text, line, autojunk=False).find_longest_match(0, len(text), 0, len(line))
        if match.size > best_score:
            best, best_score = number, match.size
    return best


def explain(latex_dir: Path, srcdir: Path) -> list[str]:
    found = []
    for log in sorted(latex_dir.glob("*.log")):
        text = log.read_text(encoding="utf-8", errors="replace")
        for match in ERROR.finditer(text):
            tex = latex_dir / match["tex"]
            line = int(match["line"])
            try:
                tex_lines = tex.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                tex_lines = []
            doc = document_at(tex_lines, line)
            where = f"{match['tex']}:{line}"
            if doc is None:
                found.append(f"{where}: LaTeX error: {match['message']} (in the book's front matter or preamble)")
                continue
            source = next((p for p in (srcdir / f"{doc}.md", srcdir / f"{doc}.rst") if p.exists()),
                          srcdir / f"{doc}.md")
            number = source_line(source, tex_lines[line - 1:]) if 0 < line <= len(tex_lines) else None
            location = f"{source.relative_to(srcdir)}:{number}" if number else str(source.relative_to(srcdir))
            found.append(f"{location}: LaTeX error: {match['message']} ({where})")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m textbook.safety.texlog", description=__doc__.splitlines()[0])
    parser.add_argument("latex_dir", nargs="?", type=Path, default=Path("_build/latex"))
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the book's folder (with conf.py)")
    args = parser.parse_args(argv)
    lines = explain(args.latex_dir, args.root)
    for line in lines:
        print(line, file=sys.stderr)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
