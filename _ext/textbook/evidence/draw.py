"""The figures, drawn with matplotlib from evidence records.

matplotlib is imported only here, and this module only when a figure is not in
the cache (``figure_name`` is a hash of the records, the kind, the format and
this style), so a build that changes no record imports and draws nothing.

Output is deterministic: fixed SVG ids (``svg.hashsalt``), no dates in the SVG
or PDF metadata. Two builds give the same bytes. SVG text stays text (a fifth of the
bytes of glyph outlines), in the book's sans with metric-compatible fallbacks; the PDF
embeds the font.
Colours and fonts are the book's: the palette of ``_static/textbook.css`` and
``latex/textbook.sty``, TeX Gyre Heros (the PDF's sans) where installed.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import textwrap
from pathlib import Path

from ..files import whole_file
from . import describe
from . import records as rec
from .records import Record

#: Bump when the drawing code changes, so cached figures are redrawn.
STYLE_VERSION = "10"
INK = "#2A2433"
MUTED = "#564F62"
VIOLET = "#4B2A7B"
VIOLET_SOFT = "#7A5BA8"
SLATE = "#34495E"
RULE = "#D9D0BE"
TINT = "#F1EAF8"
SLATE_TINT = "#EDEBE3"
#: Result -> (colour, marker): shape as well as colour, for readers who cannot tell the colours apart.
DIRECTION_STYLE = {"positive": (VIOLET, "o"), "mixed": ("#8A5210", "D"), "negative": (SLATE, "s")}
#: Narrow enough to stay legible on a 390 px phone screen at full column width.
WIDTH_IN = 4.2
FONT_DIRS = ("/usr/share/texmf/fonts/opentype/public/tex-gyre", "/usr/share/fonts/opentype/tex-gyre",
             "/usr/share/texlive/texmf-dist/fonts/opentype/public/tex-gyre")
FONT_FILES = ("texgyreheros-regular.otf", "texgyreheros-bold.otf", "texgyreheros-italic.otf")
#: Fonts with Helvetica's (so TeX Gyre Heros's) widths: SVG text is laid out with Heros and
#: shown in the first of these a reader's system has, so labels keep their places.
METRIC_TWINS = ["Helvetica", "Arial", "Liberation Sans", "Nimbus Sans"]


def book_font() -> str | None:
    """The TeX Gyre Heros folder, if installed (TeX Live from Debian has it)."""
    for folder in FONT_DIRS:
        if all((Path(folder) / name).exists() for name in FONT_FILES):
            return folder
    return None


def figure_name(kind: str, records: list[Record], fmt: str, options: dict) -> str:
    """A file name that changes whenever what would be drawn changes."""
    payload = json.dumps({"kind": kind, "records": [r.data for r in records], "format": fmt,
                          "options": options, "style": STYLE_VERSION, "font": book_font()},
                         sort_keys=True, default=str)
    return f"evidence-{kind}-{hashlib.sha256(payload.encode()).hexdigest()[:16]}.{fmt}"


def draw(kind: str, records: list[Record], path: Path, options: dict) -> None:
    """Draw one figure into ``path`` (.svg or .pdf), written atomically."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    folder = book_font()
    family = [*METRIC_TWINS, "DejaVu Sans"]
    if folder:
        for name in FONT_FILES:
            font_manager.fontManager.addfont(str(Path(folder) / name))
        family = ["TeX Gyre Heros", *METRIC_TWINS, "DejaVu Sans"]
    # PDF glyphs as Type 3: matplotlib 3.11 embeds a CFF-flavoured OpenType font (TeX Gyre) as
    # "Type 42" with a CFF program inside, which poppler flags as a font-type mismatch.
    style = {
        "font.family": "sans-serif", "font.sans-serif": family, "font.size": 11,
        "axes.edgecolor": MUTED, "axes.labelcolor": INK, "axes.linewidth": 0.8,
        "xtick.color": MUTED, "ytick.color": INK, "xtick.labelsize": 10, "ytick.labelsize": 11,
        "text.color": INK, "axes.spines.top": False, "axes.spines.right": False,
        "svg.hashsalt": "stage14-evidence", "svg.fonttype": "none", "pdf.fonttype": 3,
        "figure.facecolor": "none", "axes.facecolor": "none", "savefig.transparent": True,
        "path.simplify": False,
    }
    with plt.rc_context(style):
        fig = {"forest": _forest, "window": _window, "map": _map}[kind](plt, records, options)
        fmt = path.suffix[1:]
        metadata = {"Date": None} if fmt == "svg" else {"CreationDate": None, "ModDate": None}
        with whole_file(path) as partial:
            fig.savefig(partial, format=fmt, metadata=metadata, bbox_inches="tight", pad_inches=0.06)
            plt.close(fig)
            if fmt == "svg":
                # No DOCTYPE: EPUB checkers refuse external DTD identifiers in SVG, and browsers need none.
                text = partial.read_text(encoding="utf-8")
                partial.write_text(re.sub(r"<!DOCTYPE[^>]*>\s*", "", text, count=1), encoding="utf-8")


# -- forest -----------------------------------------------------------------------------------

RATIO_MEASURES = ("odds ratio", "risk ratio", "hazard ratio", "rate ratio")


def _is_ratio(measure: str) -> bool:
    return any(word in measure.lower() for word in RATIO_MEASURES)


def _panel_key(record: Record) -> str:
    measure = str(record.get("effect.measure", "")).strip()
    if "difference" in measure.lower() and "standardi" not in measure.lower():
        # A raw difference is in its scale's own points: only the same instrument shares an axis.
        return f"{measure} ({record.get('primary_outcome.instrument')} points)"
    return measure


def _forest(plt, records: list[Record], options: dict):
    from matplotlib.ticker import MaxNLocator

    panels: dict[str, list[Record]] = {}
    missing = []
    for record in records:
        if record.get("effect.estimate") is None:
            missing.append(record)
        else:
            panels.setdefault(_panel_key(record), []).append(record)
    heights = [0.62 * len(group) + 0.3 for group in panels.values()] + ([0.95 * len(missing)]
                                                                       if missing else [])
    # Fixed margins in inches (a layout engine would cost a third of the drawing time);
    # savefig's tight box trims what is left over. Between panels: a two-line axis label.
    gap, top, bottom = 1.1, 0.15, (0.2 if missing else 0.95)
    count = len(heights)
    total = sum(heights) + gap * (count - 1) + top + bottom
    fig, axes = plt.subplots(count, 1, figsize=(WIDTH_IN, total), squeeze=False,
                             gridspec_kw={"height_ratios": heights, "hspace": gap / (sum(heights) / count)})
    fig.subplots_adjust(left=1.15 / WIDTH_IN, right=0.97, top=1 - top / total, bottom=bottom / total)
    axes = [row[0] for row in axes]
    largest = max((r.get("n_randomised") or 1 for r in records), default=1)
    for ax, (title, group) in zip(axes, panels.items(), strict=False):
        ratio = _is_ratio(title)
        null = 1.0 if ratio else 0.0
        if ratio:
            ax.set_xscale("log")
        ys = list(range(len(group)))[::-1]
        values = [null]
        notes = []
        for y, record in zip(ys, group, strict=True):
            colour, _ = DIRECTION_STYLE.get(record.get("direction"), (INK, "o"))
            estimate, ci = record.get("effect.estimate"), record.get("effect.ci")
            size = 5 + 7 * math.sqrt((record.get("n_randomised") or 1) / largest)
            if ci:
                ax.plot(ci, [y, y], color=colour, linewidth=2.2, solid_capstyle="butt", zorder=2)
                values += list(ci)
            ax.plot([estimate], [y], marker="s", markersize=size, color=colour, zorder=3,
                    markeredgecolor="white" if ci else colour, markeredgewidth=0.8,
                    fillstyle="full" if ci else "none")
            values.append(estimate)
            notes.append(_estimate_note(ax, record, estimate, y, null, size, bool(ci)))
        ax.axvline(null, color=MUTED, linewidth=0.9, linestyle=(0, (3, 2)), zorder=1)
        low, high = min(values), max(values)
        if ratio:
            ax.set_xlim(low / 1.6, high * 1.6)
            _plain_ratio_ticks(ax, low / 1.6, high * 1.6)
        else:
            pad = (high - low) * 0.18 or 1.0
            ax.set_xlim(low - pad, high + pad)
            # At most about five ticks: at phone width seven decimals ("−2.5 … 0.5") crowd each other.
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        _fit_notes(fig, ax, notes, ratio)
        ax.set_ylim(-0.6, len(group) - 0.1)
        ax.set_yticks(ys, [f"{r.get('label')}\nn = {describe.count(r.get('n_randomised') or 0)}" for r in group])
        ax.tick_params(axis="y", length=0, pad=6)
        ax.spines["left"].set_visible(False)
        scale_notes = {str(r.get("effect.scale_note")) for r in group if r.get("effect.scale_note")}
        label = title[:1].upper() + title[1:]
        if len(scale_notes) == 1:
            label += f"\n{scale_notes.pop()}"
        ax.set_xlabel(label, fontsize=10.5, color=INK, linespacing=1.3)
    if missing:
        ax = axes[-1]
        ys = list(range(len(missing)))[::-1]
        for y, record in zip(ys, missing, strict=True):
            colour, _ = DIRECTION_STYLE.get(record.get("direction"), (INK, "o"))
            text = textwrap.fill(str(record.get("result") or ""), 38)
            ax.text(0.0, y, f"No effect estimate reported.\n{text}", transform=ax.get_yaxis_transform(),
                    va="center", ha="left", fontsize=10.5, color=colour, style="italic", linespacing=1.25)
        ax.set_ylim(-0.6, len(missing) - 0.3)
        ax.set_xlim(0, 1)
        ax.set_yticks(ys, [f"{r.get('label')}\nn = {describe.count(r.get('n_randomised') or 0)}" for r in missing])
        ax.tick_params(axis="y", length=0, pad=6)
        ax.set_xticks([])
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
    return fig


def _estimate_note(ax, record: Record, estimate: float, y: float, null: float, size: float, has_ci: bool):
    """The numbers above a study's marker. With an interval: centred over the estimate. Without one:
    "no CI reported" runs from the marker away from the line of no effect, so it never crosses it."""
    value = describe.reported(record, "effect.estimate")
    if has_ci:
        note = f"{value} [{describe.reported(record, 'effect.ci.0')}, {describe.reported(record, 'effect.ci.1')}]"
        return ax.annotate(note, (estimate, y), xytext=(0, 7 + size / 2), textcoords="offset points",
                           ha="center", va="bottom", fontsize=10.5, color=INK)
    return ax.annotate(f"{value}, no CI reported", (estimate, y), xytext=(0, 7 + size / 2),
                       textcoords="offset points", ha="right" if estimate < null else "left", va="bottom",
                       fontsize=10.5, color=MUTED, style="italic")


def _fit_notes(fig, ax, notes: list, ratio: bool) -> None:
    """Widen the axis until every note lies inside it (a note past the edge would run into the
    study labels or out of the figure). Measured, not guessed: text widths depend on the font."""
    for _ in range(4):
        renderer = fig.canvas.get_renderer()
        box = ax.get_window_extent(renderer)
        spill_left = max([box.x0 - n.get_window_extent(renderer).x0 for n in notes] + [0])
        spill_right = max([n.get_window_extent(renderer).x1 - box.x1 for n in notes] + [0])
        if spill_left <= 0.5 and spill_right <= 0.5:
            return
        # Grow the axis by the overflow plus a margin, in the axis's own (linear or log) units.
        low, high = ax.get_xlim()
        to_axis = (lambda v: math.log(v)) if ratio else (lambda v: v)
        from_axis = (lambda v: math.exp(v)) if ratio else (lambda v: v)
        span = to_axis(high) - to_axis(low)
        left = spill_left + 4 if spill_left > 0.5 else 0
        right = spill_right + 4 if spill_right > 0.5 else 0
        # Widening by w pixels shrinks every pixel: solve for the data span that fits.
        grown = span * box.width / max(box.width - left - right, box.width * 0.3)
        extra = grown - span
        share = left / (left + right) if left + right else 0.5
        ax.set_xlim(from_axis(to_axis(low) - extra * share), from_axis(to_axis(high) + extra * (1 - share)))
        if ratio:
            _plain_ratio_ticks(ax, *ax.get_xlim())


RATIO_TICKS = (0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10, 20, 50)


def _plain_ratio_ticks(ax, low: float, high: float) -> None:
    """A ratio axis labelled 0.3, 0.5, 1, 2 (plain decimals), not matplotlib's 3×10⁻¹, whose
    minor labels also run into each other."""
    from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

    ticks = [t for t in RATIO_TICKS if low <= t <= high]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xticks(ticks, [describe.number(float(t)) for t in ticks])


# -- window -----------------------------------------------------------------------------------

TICKS = [(1, "1 h"), (4, "4 h"), (24, "1 d"), (72, "3 d"), (168, "1 wk"), (672, "4 wk"), (2016, "12 wk")]


def _window(plt, records: list[Record], options: dict):
    rows = [r for r in records if rec.hours(r.get("onset")) is not None]
    # Each row's label sits above its bar, so the time axis has the figure's full width on a phone.
    height = 0.95 * len(rows) + 1.0
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
    fig.subplots_adjust(left=0.03, right=0.97, top=1 - 0.05 / height, bottom=0.6 / height)
    ax.set_xscale("log")
    ax.set_xlim(0.7, 4000)
    top = len(rows) - 0.2
    # The three spans the axis crosses, as plain bands: hours, days, weeks.
    for start, end, name, shade in ((0.7, 24, "hours", True), (24, 168, "days", False),
                                    (168, 4000, "weeks", True)):
        if shade:
            ax.axvspan(start, end, color=SLATE_TINT, alpha=0.7, zorder=0, linewidth=0)
        ax.text(math.sqrt(start * end), top + 0.12, name, ha="center", va="bottom", fontsize=10.5,
                color=MUTED, style="italic")
    ys = list(range(len(rows)))[::-1]
    for y, record in zip(ys, rows, strict=True):
        drug = str((record.get("arms") or [{}])[0].get("drug", "")).lower()
        colour = VIOLET if drug == "ketamine" else VIOLET_SOFT if drug == "esketamine" else SLATE
        onset, lasts = rec.hours(record.get("onset")), rec.hours(record.get("lasts"))
        if lasts and lasts > onset:
            ax.barh(y, lasts - onset, left=onset, height=0.26, color=colour, zorder=2, linewidth=0)
        ax.plot([onset], [y], marker="D", markersize=7.5, color=colour, markeredgecolor="white",
                markeredgewidth=0.9, zorder=3)
        if not lasts:
            ax.annotate("how long: not reported", (onset, y), xytext=(8, 0), textcoords="offset points",
                        va="center", fontsize=10.5, color=MUTED, style="italic")
        ax.text(0.75, y + 0.41, describe.window_label(record), fontsize=10.5, va="bottom", ha="left", color=INK,
                zorder=4)
        ax.text(0.75, y + 0.17, str(record.get("label")), fontsize=10.5, va="bottom", ha="left", color=MUTED, zorder=4)
    ax.set_ylim(-0.45, top + 0.55)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xticks([t for t, _ in TICKS], [name for _, name in TICKS], fontsize=10)
    ax.minorticks_off()
    ax.set_xlabel("Time after the first dose (logarithmic scale)", fontsize=10.5)
    return fig


# -- map --------------------------------------------------------------------------------------

COLUMNS = ("Uncontrolled", "Randomised", "Meta-analysis")


def _column(record: Record) -> int:
    design = record.get("design")
    return 2 if design == "meta-analysis" else 1 if str(design).startswith("rct-") else 0


def _map(plt, records: list[Record], options: dict):
    rows = describe.map_rows(records)
    # Each indication's name sits above its row, so the three columns have the full width on a phone.
    height = 0.78 * len(rows) + 1.6
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
    fig.subplots_adjust(left=0.03, right=0.97, top=1 - 0.35 / height, bottom=1.25 / height)
    largest = max((r.get("n_randomised") or 1 for r in records), default=1)
    area = lambda n: 20 + 300 * math.sqrt(n / largest)  # noqa: E731 - marker area grows with n
    ys = list(range(len(rows)))[::-1]
    for y, (name, group) in zip(ys, rows, strict=True):
        title = rec.INDICATION_NAMES.get(name, name)
        ax.text(-0.5, y + 0.36, f"{title[:1].upper()}{title[1:]}", fontsize=11, color=INK, va="bottom",
                ha="left", fontweight="bold")
        ax.text(2.5, y + 0.36, describe.design_count(group), fontsize=10.5, color=MUTED, va="bottom", ha="right")
        ax.axhline(y, color=RULE, linewidth=0.6, zorder=1)
        cells: dict[int, list[Record]] = {}
        for record in group:
            cells.setdefault(_column(record), []).append(record)
        for column, members in cells.items():
            for i, record in enumerate(members):
                colour, marker = DIRECTION_STYLE.get(record.get("direction"), (INK, "o"))
                # Closer together when a cell is crowded, so its markers stay inside their column.
                x = column + (i - (len(members) - 1) / 2) * min(0.22, 0.9 / len(members))
                ax.scatter([x], [y], s=area(record.get("n_randomised") or 1), c=colour, marker=marker,
                           alpha=0.9, edgecolors="white", linewidths=0.8, zorder=3)
    ax.set_xlim(-0.5, 2.5)
    ax.set_ylim(-0.45, len(rows) - 0.2)
    ax.set_xticks(range(3), COLUMNS, fontsize=10.5)
    ax.xaxis.tick_top()
    ax.set_yticks([])
    for side in ("bottom", "left", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["top"].set_visible(True)
    ax.tick_params(axis="both", length=0)
    for x in (0.5, 1.5):
        ax.axvline(x, color=RULE, linewidth=0.6, linestyle=(0, (2, 3)), zorder=1)
    results = [ax.scatter([], [], s=70, c=colour, marker=marker, edgecolors="white", label=name.capitalize())
               for name, (colour, marker) in DIRECTION_STYLE.items()]
    sizes = [n for n in (20, 100, largest) if n <= largest]
    scale = [ax.scatter([], [], s=area(n), facecolors="none", edgecolors=MUTED, label=f"n = {n:,}") for n in sizes]
    # Legend offsets in inches (as axes fractions they would shrink with a short map and the
    # "Participants" title would run into the row of results above it).
    axes_inches = height - 1.6
    first = ax.legend(handles=results, loc="upper center", bbox_to_anchor=(0.5, -0.04 / axes_inches), ncol=3,
                      frameon=False,
                      fontsize=10.5, handletextpad=0.3, columnspacing=1.0, borderaxespad=0.1)
    ax.add_artist(first)
    ax.legend(handles=scale, loc="upper center", bbox_to_anchor=(0.5, -0.42 / axes_inches), ncol=3, frameon=False,
              fontsize=10.5, handletextpad=0.4, columnspacing=1.4, borderaxespad=0.1, title="Participants",
              title_fontsize=10.5)
    return fig
