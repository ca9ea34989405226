"""Words from evidence records: table cells, alt text, time spans.

Pure Python, so what a figure "says" can be tested without drawing it, and the
trial tables read the same in every chapter (they are made from the same record).
"""

from __future__ import annotations

from . import records as rec
from .records import Record

DESIGN_NAMES = {
    "rct-parallel": "Randomised, parallel groups", "rct-crossover": "Randomised crossover",
    "open-label": "Open-label", "single-arm": "Single-arm", "observational": "Observational",
    "meta-analysis": "Meta-analysis",
}
#: The columns of an evidence table, in order (the header row of every trial table).
TABLE_COLUMNS = ("Study", "Design", "n", "Intervention", "Comparator", "Primary outcome", "Result", "Durability")
#: Their shares of the PDF's line width (the HTML table sizes itself): prose columns wide, n narrow.
TABLE_WIDTHS = (0.15, 0.12, 0.07, 0.15, 0.11, 0.10, 0.19, 0.11)
DIRECTION_WORDS = {"positive": "favoured", "negative": "did not favour", "mixed": "mixed result for"}


def number(value: float) -> str:
    """12.70 -> '12.7', 3.0 -> '3', -1.83 -> '−1.83' (a true minus sign)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return text.replace("-", "\u2212")


def reported(record: Record, key: str) -> str:
    """A number as the record writes it: -4.0 stays '−4.0' next to '−7.31' (the source's precision)."""
    value = record.get(key)
    text = record.text_of(key)
    try:
        float(text or "")
    except ValueError:
        text = None
    return text.replace("-", "\u2212") if text else number(value)


def count(n: int) -> str:
    return f"{n:,}"


def design(record: Record) -> str:
    text = DESIGN_NAMES.get(record.get("design"), str(record.get("design")))
    pooled = record.get("trials_pooled")
    if record.get("design") == "meta-analysis" and pooled:
        text += f" of {pooled} trials"
    blinding = record.get("blinding")
    if blinding in ("double", "single"):
        text += f", {blinding}-blind"
    return text


def sample(record: Record) -> str:
    randomised, analysed = record.get("n_randomised"), record.get("n_analysed")
    text = count(randomised) if isinstance(randomised, int) else str(randomised)
    if isinstance(analysed, int) and analysed != randomised:
        text += f" ({count(analysed)} analysed)"
    return text


#: A time point that starts with one of these reads on without "at" ("PCL-5 over 4 weeks").
TIME_WORDS = ("over", "during", "up to", "within", "from", "between", "at", "to", "all", "lowest", "until")


def outcome(record: Record) -> str:
    instrument, timepoint = record.get("primary_outcome.instrument"), str(record.get("primary_outcome.timepoint"))
    joiner = " " if timepoint.lower().startswith(TIME_WORDS) else " at "
    return f"{instrument}{joiner}{timepoint}"


def interval(record: Record) -> str:
    ci = record.get("effect.ci")
    if not ci:
        return ""
    level = record.get("effect.ci_level", 95)
    return f"{level}% CI {reported(record, 'effect.ci.0')} to {reported(record, 'effect.ci.1')}"


def effect(record: Record) -> str:
    """'Mean difference 12.7 (95% CI 2.5 to 22.8); p = 0.02', or what of it is reported."""
    parts = []
    estimate = record.get("effect.estimate")
    measure = str(record.get("effect.measure", "")).strip()
    if estimate is not None:
        text = f"{measure[:1].upper()}{measure[1:]} {reported(record, 'effect.estimate')}"
        if interval(record):
            text += f" ({interval(record)})"
        parts.append(text)
    p = record.get("effect.p")
    if p not in (None, ""):
        p = str(p)
        parts.append(f"p {p}" if p[0] in "<>=≤≥" else f"p = {p}")
    return "; ".join(parts)


def result(record: Record) -> str:
    """The result cell: the record's own summary, then the numbers it reports."""
    summary = str(record.get("result") or "").strip()
    numbers = effect(record)
    if summary and numbers:
        # A sentence, then the numbers: in brackets they would nest ("(95% CI −7.31 to −0.64))").
        return f"{summary}{'' if summary.endswith(('.', '!', '?')) else '.'} {numbers}"
    return summary or numbers or "No effect estimate reported"


def arm(entry: dict) -> str:
    """'ketamine 0.5 mg/kg IV, single 40-minute infusion': an arm as the trial gave it."""
    text = " ".join(str(entry[k]).strip() for k in ("drug", "dose", "route") if entry.get(k))
    return f"{text}, {str(entry['schedule']).strip()}" if entry.get("schedule") else text


def intervention(record: Record) -> str:
    """Every arm of the record, in order ("; " between arms)."""
    arms = record.get("arms") or []
    return "; ".join(arm(a) for a in arms if isinstance(a, dict)) or "not recorded"


def table_row(record: Record) -> list[str]:
    """The cells after the first (the study, which carries its citation)."""
    return [design(record), sample(record), intervention(record), str(record.get("comparator")), outcome(record),
            result(record), str(record.get("durability"))]


def period(span_: dict) -> str:
    """An ``onset``/``lasts`` in the unit the record states: 43 days stays '43 days', not '6.1 weeks'."""
    value, unit = span_["value"], str(span_["unit"])
    shown = number(float(value)) if isinstance(value, float) else str(value)
    return f"{shown} {unit[:-1] if shown == '1' else unit}"


def drug(records: list[Record]) -> str:
    drugs = {str(r.get("arms", [{}])[0].get("drug", "")).strip() for r in records if r.get("arms")}
    return drugs.pop() if len(drugs) == 1 else "the study drug"


def indications(records: list[Record]) -> str:
    names = []
    for record in records:
        name = rec.INDICATION_NAMES.get(record.get("indication"), str(record.get("indication")))
        if name not in names:
            names.append(name)
    return _join(names)


def _first_upper(text: str) -> str:
    """'ketamine' -> 'Ketamine', 'MDMA' stays 'MDMA' (str.capitalize would write 'Mdma')."""
    return text[:1].upper() + text[1:]


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"


def _n(record: Record) -> int:
    value = record.get("n_randomised")
    return value if isinstance(value, int) else 0


# -- Alt text: what each figure shows, computed from its records ---------------------------------

def alt_forest(records: list[Record]) -> str:
    total = len(records)
    largest = max(records, key=_n, default=None) if total > 1 else None

    def names(group: list[Record], inside: bool = False) -> str:
        # The largest study is named as such where it stands alone in its group.
        if largest in group and len(group) == 1:
            if inside:
                return f"{largest.get('label')}, the largest, n={count(_n(largest))}"
            return f"the largest, {largest.get('label')} (n={count(_n(largest))}),"
        return _join([str(r.get("label")) for r in group])

    positive = [r for r in records if r.get("direction") == "positive"]
    negative = [r for r in records if r.get("direction") == "negative" and r.get("favoured") != "comparator"]
    worse = [r for r in records if r.get("direction") == "negative" and r.get("favoured") == "comparator"]
    mixed = [r for r in records if r.get("direction") == "mixed"]
    study = "study" if total == 1 else "studies"
    text = (f"Forest plot of {total} {indications(records)} {study}. "
            f"{_first_upper(drug(records))} did better than its comparator in {len(positive)} of {total}")
    if positive:
        text += f" ({names(positive, inside=True)})"
    if negative:
        text += f"; {names(negative)} found no significant difference"
    if worse:
        text += f"; {names(worse)} found that the comparator did better"
    if mixed:
        text += f"; {names(mixed)} had mixed results"
    text += "."
    named = [group for group in (positive, negative, worse, mixed) if largest in group and len(group) == 1]
    if largest is not None and not named:
        verdict = verdict_of(largest)
        text += f" The largest, {largest.get('label')} (n={count(_n(largest))}), {verdict}."
    no_ci = [r.get("label") for r in records if r.get("effect.estimate") is not None and not r.get("effect.ci")]
    no_estimate = [r.get("label") for r in records if r.get("effect.estimate") is None]
    if no_ci:
        text += f" {_join(no_ci)} reported no confidence interval, so none is drawn."
    if no_estimate:
        text += f" {_join(no_estimate)} reported no effect estimate and is shown without one."
    return text


def verdict_of(record: Record) -> str:
    """What a study found on its primary outcome, from ``direction`` and ``favoured``."""
    if record.get("direction") == "negative":
        return "found that the comparator did better" if record.get("favoured") == "comparator" \
            else "found no significant difference"
    return {"positive": "was positive", "mixed": "had mixed results"}.get(record.get("direction"), "")


def window_label(record: Record) -> str:
    drug_name = str((record.get("arms") or [{}])[0].get("drug", "")).strip()
    indication = rec.INDICATION_NAMES.get(record.get("indication"), str(record.get("indication")))
    return str(record.get("window_label") or f"{_first_upper(drug_name)}, {indication}")


def alt_window(records: list[Record]) -> str:
    parts = []
    for record in records:
        onset, lasts = rec.hours(record.get("onset")), rec.hours(record.get("lasts"))
        if onset is None:
            continue
        first = period(record.get("onset"))
        text = f"{window_label(record)}, in {record.get('label')}: benefit first measured at {first}"
        if record.get("onset.note"):
            text += f" ({record.get('onset.note')})"
        text += f", still present at {period(record.get('lasts'))}" if lasts else ", how long it lasts not reported"
        parts.append(text)
    return ("Time line on a logarithmic scale from hours to weeks, one bar per treatment from the first "
            "time a benefit was measured to the last time it was still present. " + "; ".join(parts) + ".")


def map_rows(records: list[Record]) -> list[tuple[str, list[Record]]]:
    rows: dict[str, list[Record]] = {}
    for record in records:
        rows.setdefault(str(record.get("indication")), []).append(record)
    return list(rows.items())


def row_summary(group: list[Record]) -> str:
    controlled = sum(int(r.get("trials_pooled") or 1) if r.get("design") == "meta-analysis" else 1
                     for r in group if r.get("design") in rec.CONTROLLED_DESIGNS)
    directions = [r.get("direction") for r in group]
    counts = [f"{directions.count(d)} {d}" for d in rec.DIRECTIONS if d in directions]
    noun = "controlled trial" if controlled == 1 else "controlled trials"
    return f"{controlled} {noun}, {count(sum(_n(r) for r in group))} participants; {', '.join(counts)}"


def design_count(group: list[Record]) -> str:
    """'4 randomised, 1 meta-analysis': the studies of one indication by design, none counted twice."""
    randomised = sum(1 for r in group if str(r.get("design")).startswith("rct-"))
    meta = sum(1 for r in group if r.get("design") == "meta-analysis")
    other = len(group) - randomised - meta
    parts = [f"{randomised} randomised"] if randomised else []
    parts += [f"{meta} meta-analys{'is' if meta == 1 else 'es'}"] if meta else []
    parts += [f"{other} uncontrolled"] if other else []
    return ", ".join(parts)


def alt_map(records: list[Record]) -> str:
    rows = map_rows(records)
    parts = []
    for name, group in rows:
        title = rec.INDICATION_NAMES.get(name, name)
        directions = [r.get("direction") for r in group]
        results = ", ".join(f"{directions.count(d)} {d}" for d in rec.DIRECTIONS if d in directions)
        worse = [str(r.get("label")) for r in group if r.get("direction") == "negative"
                 and r.get("favoured") == "comparator"]
        if worse:
            results += f" (in {_join(worse)} the comparator did better)"
        parts.append(f"{title[:1].upper()}{title[1:]}: {design_count(group)}; {results}")
    noun = "indication" if len(rows) == 1 else "indications"
    return (f"Evidence map of {len(rows)} {noun}, each study placed by its design (uncontrolled, "
            "randomised, meta-analysis), sized by the number of participants and marked by its result. "
            + ". ".join(parts) + ".")


ALT_TEXT = {"forest": alt_forest, "window": alt_window, "map": alt_map}
