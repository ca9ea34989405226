"""Start a chapter from _templates/chapter.md and add it to the book's toctree.

    python -m textbook.tools.new --title "Ketamine for ..."                 (next deep dive, e.g. KS6)
    python -m textbook.tools.new --kind concept --title "A New Lesson"      (next free concept lesson)
    python -m textbook.tools.new --id KS7 --title "..."                     (a given id)

The new chapter fails the checker only on its TODO placeholders.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from .sources import lesson_front_matter

PART_CAPTIONS = {"concept": "Part I.", "deep-dive": "Part II."}


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50]


def placement(lesson_id: str) -> tuple[str, str] | None:
    """(kind, the front-matter lines that place it) for an id, or None if it is not one."""
    concept = re.fullmatch(r"L(\d+)\.(\d+)", lesson_id)
    if concept:
        return "concept", f"  stage: {concept[1]}\n  concept: {concept[2]}"
    part = re.fullmatch(r"KS(\d+)", lesson_id)
    if part:
        return "deep-dive", f"  series: ketamine\n  part: {part[1]}"
    return None


def next_id(root: Path, kind: str) -> str | None:
    """The first free id of a kind: the next deep-dive part, or a free concept in the last stage."""
    ids = {str((lesson_front_matter(p) or {}).get("id")) for p in (root / "chapters").glob("*.md")}
    if kind == "deep-dive":
        parts = [int(i[2:]) for i in ids if re.fullmatch(r"KS\d+", i)]
        return f"KS{max(parts, default=0) + 1}"
    concepts = [tuple(map(int, i[1:].split("."))) for i in ids if re.fullmatch(r"L\d+\.\d+", i)]
    stage = max((c[0] for c in concepts), default=1)
    free = [n for n in range(1, 6) if (stage, n) not in concepts]
    return f"L{stage}.{free[0]}" if free else None


def register(index: Path, docname: str, kind: str) -> None:
    """Append the chapter to the toctree whose caption starts with its part."""
    text = index.read_text(encoding="utf-8")
    caption = PART_CAPTIONS[kind]
    match = re.search(r"```\{toctree\}\n:caption: " + re.escape(caption) + r".*?\n(.*?)```", text, re.DOTALL)
    if match is None:
        raise SystemExit(f"new: no toctree with a caption starting '{caption}' in {index}")
    body = match.group(1).rstrip("\n") + f"\n{docname}\n"
    index.write_text(text[:match.start(1)] + body + text[match.end(1):], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m textbook.tools.new", description=__doc__.splitlines()[0])
    parser.add_argument("--id", default="", help="L<stage>.<n> or KS<n>; default: the next free id of --kind")
    parser.add_argument("--kind", default="deep-dive", choices=["concept", "deep-dive"])
    parser.add_argument("--title", required=True)
    parser.add_argument("--root", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    if not args.id.strip():
        args.id = next_id(args.root, args.kind) or ""
        if not args.id:
            print("new: every concept of the last stage is taken; give --id for a new stage", file=sys.stderr)
            return 2
    found = placement(args.id.strip())
    if found is None or not args.title.strip():
        print("new: give a title, and an id like L15.1 or KS6 if you want a given one: "
              "make new TITLE='...' [ID=KS6]", file=sys.stderr)
        return 2
    kind, lines = found
    path = args.root / "chapters" / f"{args.id.lower().replace('.', '-')}-{slug(args.title)}.md"
    if path.exists():
        print(f"new: {path} already exists", file=sys.stderr)
        return 1
    template = (args.root / "_templates" / "chapter.md").read_text(encoding="utf-8")
    path.write_text(template.format(id=args.id, kind=kind, placement=lines, title=args.title.strip(),
                                    today=dt.date.today().isoformat(), connects=args.id), encoding="utf-8")
    register(args.root / "index.md", f"chapters/{path.stem}", kind)
    print(f"new: wrote {path.relative_to(args.root)} and added it to index.md; next: make check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
