"""``{evidence-figure}`` and ``{evidence-table}``: figures and trial tables from the records.

    :::{evidence-figure}
    :kind: forest
    :trials: feder2014, feder2021, abdallah2022
    :name: fig-ptsd-forest

    Ketamine against a control infusion in PTSD, on each trial's primary outcome.
    :::

The caption is the content; the alt text is written from the records; the
sources are cited with sphinxcontrib-bibtex's own ``cite:p`` role, so they are
numbered in the chapter's reference list. "Show the data" follows the figure.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from . import describe, rules
from . import records as rec
from .build import BUILD, STATS, book_records, evidence_data, evidence_wide_table

KINDS = ("forest", "window", "map")
DATA_TITLE = "Show the data"


class _EvidenceDirective(SphinxDirective):
    option_spec = {
        "trials": directives.unchanged,
        "indications": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.class_option,
    }

    def records(self) -> list[rec.Record]:
        srcdir = Path(self.env.srcdir)
        found, _, index = book_records(srcdir, Path(self.env.doctreedir))
        ids = rules.id_list(self.options.get("trials"))
        wanted = rules.id_list(self.options.get("indications"))
        if not ids and not wanted:
            raise self.error(f"'{self.name}' needs ':trials:' (record ids) or ':indications:'")
        for record_id in ids:
            if record_id not in index:
                raise self.error(f"no evidence record with id '{record_id}' (records are in evidence/*.yaml)")
        for indication in wanted:
            if indication not in rec.INDICATIONS:
                raise self.error(f"unknown indication '{indication}'; use one of: {', '.join(rec.INDICATIONS)}")
        chosen = rules.select(index, ids, wanted)
        if not chosen:
            raise self.error(f"no evidence record has indication {', '.join(wanted)}")
        # A changed record re-reads this page; with :indications:, so may a new one in any file.
        paths = {str(srcdir / r.path) for r in chosen} if not wanted else {str(p) for p in rec.evidence_files(srcdir)}
        for path in sorted(paths):
            self.env.note_dependency(path)
        self.env.get_domain("evidence").note_shown(self.env.docname, [r.id for r in chosen])
        return chosen

    def cite(self, keys: list[str]) -> list[nodes.Node]:
        """The nodes of {cite:p}`keys`: sphinxcontrib-bibtex numbers them in the chapter's list."""
        role = self.env.get_domain("cite").role("p")
        text = ",".join(dict.fromkeys(keys))
        made, messages = role("cite:p", f"{{cite:p}}`{text}`", text, self.lineno, self.state.inliner, {}, [])
        return [*made, *messages]

    def study_cell(self, record: rec.Record) -> list[nodes.Node]:
        return [nodes.Text(f"{record.get('label')} "), *self.cite([str(record.get("cite"))])]


def table(headers: list[str], rows: list[list], classes: list[str], title: str | None = None) -> nodes.table:
    """A real table: a header row of <th> cells, then the rows (text or inline nodes)."""
    # "longtable": Sphinx's LaTeX writer then lets the table break across pages.
    node = nodes.table(classes=[*classes, "longtable"])
    if title:
        node += nodes.title(title, title)
    group = nodes.tgroup(cols=len(headers))
    node += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    group += head
    head += _row([nodes.Text(h) for h in headers])
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += _row(cells)
    return node


#: Each generated table's share of the PDF line per column (Sphinx would give them equal widths).
DATA_WIDTHS = {
    "forest": (0.17, 0.09, 0.17, 0.14, 0.12, 0.19, 0.12),
    "window": (0.20, 0.18, 0.24, 0.19, 0.19),
    "map": (0.15, 0.17, 0.19, 0.09, 0.40),
}


def in_print(node: nodes.table, widths: tuple[float, ...], small: bool = False) -> list[nodes.Node]:
    """The table with its LaTeX column widths (``tabularcolumns``; other builders skip it), and,
    for a wide table, in a smaller type with closer columns so that its words need no hyphens."""
    spec = "".join(f"\\Y{{{w:.2f}}}" for w in widths)
    made: list[nodes.Node] = [addnodes.tabular_col_spec(spec=spec)]
    if not small:
        return [*made, node]
    return [*made, evidence_wide_table("", node)]


def _row(cells: list) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        paragraph = nodes.paragraph()
        if isinstance(cell, list):
            paragraph.extend(cell)
        elif isinstance(cell, nodes.Node):
            paragraph += cell
        else:
            paragraph += nodes.Text(str(cell))
        entry += paragraph
        row += entry
    return row


class EvidenceFigureDirective(_EvidenceDirective):
    """``{evidence-figure}``: a forest plot, a clinical window or an evidence map, drawn from records."""

    has_content = True
    option_spec = {**_EvidenceDirective.option_spec, "kind": lambda arg: directives.choice(arg, KINDS)}

    def run(self) -> list[nodes.Node]:
        kind = self.options.get("kind")
        if kind is None:
            raise self.error(f"'{self.name}' needs ':kind:', one of: {', '.join(KINDS)}")
        if not self.content:
            raise self.error(f"'{self.name}' needs a caption as its content")
        chosen = self.records()
        if kind == "window":
            chosen = [r for r in chosen if rec.hours(r.get("onset")) is not None]
            if not chosen:
                raise self.error("a window figure needs records with 'onset' (and, where reported, 'lasts')")
        if kind == "forest" and len(chosen) > 12:
            raise self.error(f"a forest plot of {len(chosen)} studies would not be legible on a phone: split it")
        uri = self.figure_file(kind, chosen)

        figure = nodes.figure(classes=["evidence-figure", f"evidence-{kind}", *self.options.get("class", [])])
        self.set_source_info(figure)
        image = nodes.image(uri=uri, alt=describe.ALT_TEXT[kind](chosen), candidates={})
        figure += image
        caption_nodes, messages = self.parse_inline(" ".join(line.strip() for line in self.content),
                                                    lineno=self.content_offset + 1)
        caption = nodes.caption("", "", *caption_nodes)
        self.set_source_info(caption)
        figure += caption
        # The sources go in the figure's legend, not its caption: LaTeX's \caption is a moving
        # argument, and a citation link inside it breaks hyperref (Sphinx 9.0, hyperref 7.01).
        sources = nodes.paragraph("", "Sources: ", classes=["evidence-sources"])
        sources.extend(self.cite([str(r.get("cite")) for r in chosen]))
        sources += nodes.Text(".")
        figure += nodes.legend("", sources)
        self.add_name(figure)

        box = evidence_data("", classes=["evidence-data"], collapsible="closed")
        self.set_source_info(box)
        box += nodes.title(DATA_TITLE, DATA_TITLE)
        box.extend(in_print(self.data_table(kind, chosen), DATA_WIDTHS[kind]))
        return [figure, box, *messages]

    def figure_file(self, kind: str, chosen: list[rec.Record]) -> str:
        """Draw the figure unless the cache has it; the image's URI, from the source folder."""
        from . import draw

        folder = Path(self.env.srcdir) / self.config.evidence_figure_dir
        fmt = "pdf" if BUILD["format"] == "latex" else "svg"
        name = draw.figure_name(kind, chosen, fmt, {})
        path = folder / name
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            draw.draw(kind, chosen, path, {})
            STATS["drawn"] += 1
        return "/" + (Path(self.config.evidence_figure_dir) / name).as_posix()

    def data_table(self, kind: str, chosen: list[rec.Record]) -> nodes.table:
        if kind == "forest":
            headers = ["Study", "n", "Outcome", "Measure", "Estimate", "Interval", "p"]
            rows = [[self.study_cell(r), describe.sample(r), describe.outcome(r), str(r.get("effect.measure")),
                     describe.reported(r, "effect.estimate") if r.get("effect.estimate") is not None
                     else "not reported", describe.interval(r) or "not reported",
                     str(r.get("effect.p") or "not reported")] for r in chosen]
        elif kind == "window":
            headers = ["Treatment", "Study", "Outcome", "First benefit measured", "Still present at"]
            rows = []
            for r in chosen:
                lasts = rec.hours(r.get("lasts"))
                rows.append([describe.window_label(r), self.study_cell(r), describe.outcome(r),
                             describe.period(r.get("onset")), describe.period(r.get("lasts")) if lasts
                             else "not reported"])
        else:
            headers = ["Indication", "Study", "Design", "n", "Result"]
            rows = [[rec.INDICATION_NAMES.get(r.get("indication"), str(r.get("indication"))), self.study_cell(r),
                     describe.design(r), describe.sample(r), describe.result(r)] for r in chosen]
        return table(headers, rows, ["evidence-data-table"])


class EvidenceTableDirective(_EvidenceDirective):
    """``{evidence-table} [title]``: the trial table (design, n, intervention, comparator, outcome, result,
    durability)."""

    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        chosen = self.records()
        rows = [[self.study_cell(r), *describe.table_row(r)] for r in chosen]
        node = table(list(describe.TABLE_COLUMNS), rows, ["evidence-table", *self.options.get("class", [])],
                     title=self.arguments[0] if self.arguments else None)
        self.set_source_info(node)
        self.add_name(node)
        return in_print(node, describe.TABLE_WIDTHS, small=True)
