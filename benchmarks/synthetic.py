"""Generate a synthetic book of N chapters, three ways, for the build benchmark.

Every chapter is filler (lorem-ipsum words, never medical prose) laid out in
the project's real chapter format: ``lesson`` front matter, the four kinds of
``{margin-note}``, an ``{anchor}``, a ``{prove-it}`` case with its ``{answer}``,
``{connects-to}`` with ``{lesson}`` links, a figure with alt text and caption,
a table, twelve ``{cite:p}`` citations of real ``references.bib`` keys and a
per-chapter ``{bibliography}``. The same chapters are also written as plain
MyST for Jupyter Book 1 (standard admonitions, margin and dropdown; citations
kept) and for bare Sphinx + MyST (standard admonitions; no citations).

Usage: python benchmarks/synthetic.py N OUTDIR   (writes OUTDIR/{textbook,jb1,bare})
"""

from __future__ import annotations

import random
import re
import shutil
import struct
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

#: What a synthetic book copies from the project besides its chapters and front page.
PROJECT_FILES = ("conf.py", "references.bib", "key-points.md", "bibliography.md")
PROJECT_DIRS = ("_ext", "_static", "_templates", "evidence")

CONCEPT_LESSONS = 5  # conf.py: textbook_concepts_per_stage
WORDS_PER_CHAPTER = 2600
CITATIONS_PER_CHAPTER = 12
REVIEWED = "2025-01-15"

#: Appended to the copied conf.py: the deep dives form a series of their own.
SYNTHETIC_SERIES = '''
# -- Benchmark only: the synthetic deep dives form their own series. -----------
textbook_series = {**textbook_series,
                   "synthetic": {"title": "Synthetic benchmark series", "prefix": "SB"}}
'''

LOREM = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
    "incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud "
    "exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure "
    "in reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint "
    "occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim id est "
    "laborum curabitur pretium tincidunt lacus nunc gravida purus vel semper blandit "
    "arcu porta massa viverra orci varius natoque penatibus magnis dis parturient"
).split()

MARGIN_KINDS = ("evidence-supports", "ahead-of-evidence", "clinical-pearl", "caution")
MARGIN_TITLES = {
    "evidence-supports": "Where the evidence supports use",
    "ahead-of-evidence": "Where practice runs ahead of the evidence",
    "clinical-pearl": "Clinical pearl",
    "caution": "Caution",
}


class Filler:
    """Deterministic lorem-ipsum text, so every run benchmarks the same book."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = 0

    def sentence(self, low: int = 9, high: int = 19) -> str:
        n = self.rng.randint(low, high)
        self.words += n
        text = " ".join(self.rng.choice(LOREM) for _ in range(n))
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int = 6, cite: str | None = None) -> str:
        parts = [self.sentence() for _ in range(sentences)]
        if cite:
            parts[len(parts) // 2] = parts[len(parts) // 2][:-1] + f" {{cite:p}}`{cite}`."
        return " ".join(parts)

    def title(self, n: int = 3) -> str:
        return " ".join(self.rng.choice(LOREM) for _ in range(n)).capitalize()


@dataclass
class Chapter:
    number: int  # 1-based, reading order
    docname: str
    lesson_id: str
    title: str
    front_matter: dict[str, object]
    context: str
    #: The body as blocks; each block is a tuple (kind, data), rendered per flavour.
    blocks: list[tuple[str, object]] = field(default_factory=list)


def bib_keys(bib: Path) -> list[str]:
    return re.findall(r"^@\w+\{([^,\s]+),", bib.read_text(encoding="utf-8"), flags=re.MULTILINE)


def evidence_pools() -> dict[str, list[str]]:
    """Record ids of the project's evidence/*.yaml: all, those with an effect estimate, with an onset."""
    records = [r for path in sorted((ROOT / "evidence").glob("*.yaml"))
               for r in (yaml.safe_load(path.read_text(encoding="utf-8")) or [])]
    return {"forest": [r["id"] for r in records if (r.get("effect") or {}).get("estimate") is not None],
            "window": [r["id"] for r in records if r.get("onset")],
            "map": list(dict.fromkeys(r["indication"] for r in records))}


def evidence_figure(number: int, pools: dict[str, list[str]]) -> tuple[str, str, list[str]]:
    """A chapter's evidence figure: its kind, option and names, rotating so chapters differ."""
    kind = ("forest", "window", "map")[number % 3]
    pool = pools[kind]
    take = {"forest": 3, "window": 4, "map": 3}[kind]
    names = [pool[(number + i) % len(pool)] for i in range(min(take, len(pool)))]
    return kind, "indications" if kind == "map" else "trials", list(dict.fromkeys(names))


def plan(chapters: int, keys: list[str]) -> list[Chapter]:
    """The content of every chapter, independent of how it is written."""
    book: list[Chapter] = []
    evidence = evidence_pools()
    for number in range(1, chapters + 1):
        filler = Filler(seed=number)
        if number <= CONCEPT_LESSONS:
            lesson_id = f"L14.{number}"
            docname = f"chapters/l14-{number}-synthetic"
            placement = {"kind": "concept", "stage": 14, "concept": number}
            context = f"Stage 14 · Concept {number} of {CONCEPT_LESSONS}"
        else:
            part = number - CONCEPT_LESSONS
            lesson_id = f"SB{part}"
            docname = f"chapters/sb{part}-synthetic"
            placement = {"kind": "deep-dive", "series": "synthetic", "part": part}
            context = f"Synthetic benchmark series · Part {part}"
        title = f"Synthetic chapter {number}, {filler.title().lower()}"
        front = {"id": lesson_id, **placement, "title": title,
                 "subtitle": f"Benchmark filler, {filler.title(4).lower()}", "reviewed": REVIEWED}
        chapter = Chapter(number, docname, lesson_id, title, front, context)
        start = (number * CITATIONS_PER_CHAPTER) % len(keys)
        cites = [keys[(start + i) % len(keys)] for i in range(CITATIONS_PER_CHAPTER)]
        blocks = chapter.blocks
        blocks.append(("para", filler.paragraph(5, cites.pop())))
        section = 0
        margin_kinds = list(MARGIN_KINDS)
        figure_done = table_done = False
        # Sections until the chapter is long enough (the closing parts add ~450 words).
        while filler.words < WORDS_PER_CHAPTER - 450 or cites:
            section += 1
            blocks.append(("heading", f"Section {section}: {filler.title()}"))
            for _ in range(3):
                blocks.append(("para", filler.paragraph(6, cites.pop() if cites else None)))
            if margin_kinds:
                kind = margin_kinds.pop(0)
                titled = kind in ("ahead-of-evidence", "caution")
                blocks.append(("margin", (kind, filler.title(2) if titled else None,
                                          filler.paragraph(2, cites.pop() if cites else None))))
            elif not figure_done:
                figure_done = True
                blocks.append(("figure", (f"figure-{number}.png",
                                          f"Synthetic bar chart {number}: three grey bars of different heights",
                                          filler.sentence())))
            elif not table_done:
                table_done = True
                blocks.append(("table", [[filler.title(1) for _ in range(4)] for _ in range(5)]))
                blocks.append(("evidence", evidence_figure(number, evidence)))
        blocks.append(("anchor", filler.paragraph(5)))
        blocks.append(("case", (filler.title(4), filler.paragraph(5), filler.paragraph(7))))
        neighbours = [book[-1]] if book else []
        blocks.append(("connects", [(c.lesson_id, c.title, c.docname) for c in neighbours]
                       + [(lesson_id, title, docname)]))
        book.append(chapter)
    return book


def _yaml(front: dict[str, object]) -> str:
    lines = "".join(f"  {key}: {value}\n" for key, value in front.items())
    return f"---\nlesson:\n{lines}---\n\n"


def _link(lesson_id: str, title: str, docname: str, flavour: str) -> str:
    if flavour == "textbook":
        return f"{{lesson}}`{lesson_id}`"
    return f"[{lesson_id} {title}]({Path(docname).name}.md)"


def _strip_cites(text: str) -> str:
    return re.sub(r" \{cite:p\}`[^`]*`", "", text)


def render(chapter: Chapter, flavour: str) -> str:
    """One chapter as MyST: ``textbook`` (our directives), ``jb1`` or ``bare``."""
    out: list[str] = []
    if flavour == "textbook":
        out.append(_yaml(chapter.front_matter))
    out.append(f"# {chapter.title}\n")
    if flavour != "textbook":
        out.append(f"*{chapter.context}. {chapter.front_matter['subtitle']}.*\n")
    for kind, data in chapter.blocks:
        if flavour == "bare" and isinstance(data, str):
            data = _strip_cites(data)
        if kind == "para":
            out.append(f"{data}\n")
        elif kind == "heading":
            out.append(f"## {data}\n")
        elif kind == "margin":
            note_kind, title, text = data
            if flavour == "bare":
                text = _strip_cites(text)
            if flavour == "textbook":
                option = f":title: {title}\n" if title else ""
                out.append(f":::{{margin-note}} {note_kind}\n{option}{text}\n:::\n")
            elif flavour == "jb1":
                out.append(f":::{{margin}} {title or MARGIN_TITLES[note_kind]}\n{text}\n:::\n")
            else:
                out.append(f":::{{admonition}} {title or MARGIN_TITLES[note_kind]}\n"
                           f":class: margin-note {note_kind}\n{text}\n:::\n")
        elif kind == "figure":
            image, alt, caption = data
            out.append(f":::{{figure}} {image}\n:alt: {alt}\n\n{caption}\n:::\n")
        elif kind == "evidence":
            # Ours draws the figure from the records; the others show a ready-made image and
            # its data table, collapsible where the system has one.
            figure_kind, option, names = data
            caption = f"Evidence figure ({figure_kind}) of {', '.join(names)}."
            if flavour == "textbook":
                out.append(f":::{{evidence-figure}}\n:kind: {figure_kind}\n:{option}: {', '.join(names)}\n\n"
                           f"{caption}\n:::\n")
            else:
                table = "| Study | n | Result |\n|---|---|---|\n" + "".join(f"| {n} | 40 | lorem |\n" for n in names)
                opener = ":::{dropdown} Show the data\n" if flavour == "jb1" else \
                    ":::{admonition} Show the data\n:collapsible: closed\n"
                out.append(f":::{{figure}} figure-{chapter.number}.png\n:alt: {caption}\n\n{caption}\n:::\n\n"
                           f"{opener}{table}:::\n")
        elif kind == "table":
            header, *rows = data
            out.append("| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n"
                       + "".join("| " + " | ".join(row) + " |\n" for row in rows))
        elif kind == "anchor":
            if flavour == "textbook":
                out.append(f":::{{anchor}}\n{data}\n:::\n")
            else:
                out.append(f":::{{admonition}} The anchor\n:class: anchor\n{data}\n:::\n")
        elif kind == "case":
            title, vignette, answer = data
            if flavour == "bare":
                vignette, answer = _strip_cites(vignette), _strip_cites(answer)
            if flavour == "textbook":
                out.append(f"::::{{prove-it}} {title}\n{vignette}\n\n:::{{answer}}\n{answer}\n:::\n::::\n")
            elif flavour == "jb1":
                out.append(f"::::{{admonition}} Prove it: {title}\n{vignette}\n\n"
                           f":::{{dropdown}} Model answer\n{answer}\n:::\n::::\n")
            else:
                out.append(f"::::{{admonition}} Prove it: {title}\n{vignette}\n\n"
                           f":::{{admonition}} Model answer\n:collapsible: closed\n{answer}\n:::\n::::\n")
        elif kind == "connects":
            items = "".join(f"- {_link(*target, flavour)}: lorem ipsum dolor sit amet.\n" for target in data)
            if flavour == "textbook":
                out.append(f":::{{connects-to}}\n{items}:::\n")
            else:
                out.append(f":::{{seealso}}\n{items}:::\n")
    if flavour != "bare":
        out.append("## References\n\n:::{bibliography}\n:filter: docname in docnames\n:::\n")
    return "\n".join(out)


def edit(path: Path, run: int) -> None:
    """Change one chapter's text, as a contributor would (the incremental build)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n\nEdited \d+ times\.\n|$", f"\n\nEdited {run} times.\n", text, count=1)
    path.write_text(text, encoding="utf-8")


def png(width: int, height: int, bars: list[int]) -> bytes:
    """A tiny greyscale bar chart, written without an imaging library."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type: none
        for x in range(width):
            bar = x * len(bars) // width
            inside = (x % (width // len(bars))) > 6 and height - y <= bars[bar]
            row.append(90 if inside else 245)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def index_page(book: list[Chapter], flavour: str) -> str:
    concepts = [c.docname for c in book if c.number <= CONCEPT_LESSONS]
    dives = [c.docname for c in book if c.number > CONCEPT_LESSONS]
    back = ["key-points", "bibliography"] if flavour != "bare" else ["key-points"]
    text = ("# Synthetic benchmark book\n\nFiller chapters in the textbook's format, "
            "generated by `benchmarks/synthetic.py` to time builds. Not content.\n\n")
    if flavour == "jb1":  # Jupyter Book takes its table of contents from _toc.yml
        return text
    for caption, entries in (("Part I. Concept lessons", concepts),
                             ("Part II. Synthetic series", dives), ("Back matter", back)):
        if entries:
            text += "```{toctree}\n:caption: " + caption + "\n:maxdepth: 1\n\n" + "\n".join(entries) + "\n```\n\n"
    return text


def jb1_config(book: list[Chapter]) -> tuple[str, str]:
    """Jupyter Book 1's _config.yml and _toc.yml (its defaults, citations as ours)."""
    config = """\
title: Synthetic benchmark book
author: Benchmark
only_build_toc_files: true
execute:
  execute_notebooks: "off"
bibtex_bibfiles:
  - references.bib
latex:
  latex_documents:
    targetname: book.tex
sphinx:
  config:
    bibtex_reference_style: label
    suppress_warnings: ["bibtex.duplicate_citation", "bibtex.duplicate_label"]
"""
    concepts = [c for c in book if c.number <= CONCEPT_LESSONS]
    dives = [c for c in book if c.number > CONCEPT_LESSONS]
    toc = "format: jb-book\nroot: index\nparts:\n"
    for caption, chapters in (("Part I. Concept lessons", concepts), ("Part II. Synthetic series", dives)):
        if chapters:
            toc += f"  - caption: {caption}\n    chapters:\n"
            toc += "".join(f"      - file: {c.docname}\n" for c in chapters)
    toc += "  - caption: Back matter\n    chapters:\n      - file: key-points\n      - file: bibliography\n"
    return config, toc


BARE_CONF = '''\
project = "Synthetic benchmark book"
author = "Benchmark"
extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence", "deflist"]
html_theme = "alabaster"
exclude_patterns = ["_build"]
latex_documents = [("index", "book.tex", "Synthetic benchmark book", author, "manual")]
'''


def generate(chapters: int, outdir: Path) -> dict[str, Path]:
    """Write the book three ways under ``outdir``; return {flavour: source dir}."""
    keys = bib_keys(ROOT / "references.bib")
    book = plan(chapters, keys)
    sources = {}
    for flavour in ("textbook", "jb1", "bare"):
        src = outdir / flavour
        if src.exists():
            shutil.rmtree(src)
        (src / "chapters").mkdir(parents=True)
        if flavour == "textbook":
            for name in PROJECT_FILES:
                shutil.copy2(ROOT / name, src / name)
            for name in PROJECT_DIRS:
                if (ROOT / name).is_dir():
                    shutil.copytree(ROOT / name, src / name,
                                    ignore=shutil.ignore_patterns("__pycache__"))
            with (src / "conf.py").open("a", encoding="utf-8") as conf:
                conf.write(SYNTHETIC_SERIES)
        elif flavour == "jb1":
            shutil.copy2(ROOT / "references.bib", src / "references.bib")
            config, toc = jb1_config(book)
            (src / "_config.yml").write_text(config, encoding="utf-8")
            (src / "_toc.yml").write_text(toc, encoding="utf-8")
            (src / "key-points.md").write_text("# Key points\n\nLorem ipsum dolor sit amet.\n", encoding="utf-8")
            (src / "bibliography.md").write_text("# Bibliography\n\n:::{bibliography}\n:all:\n:::\n",
                                                 encoding="utf-8")
        else:
            (src / "conf.py").write_text(BARE_CONF, encoding="utf-8")
            (src / "key-points.md").write_text("# Key points\n\nLorem ipsum dolor sit amet.\n", encoding="utf-8")
        (src / "index.md").write_text(index_page(book, flavour), encoding="utf-8")
        for chapter in book:
            (src / f"{chapter.docname}.md").write_text(render(chapter, flavour), encoding="utf-8")
            rng = random.Random(chapter.number)
            (src / "chapters" / f"figure-{chapter.number}.png").write_bytes(
                png(240, 120, [rng.randint(20, 110) for _ in range(3)]))
        sources[flavour] = src
    return sources


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    for flavour, src in generate(int(argv[0]), Path(argv[1])).items():
        print(f"{flavour}: {src}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
