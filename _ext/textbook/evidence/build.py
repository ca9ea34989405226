"""The evidence wing's build side: the data box node, the domain, the records read once
per process, the build-time check and the draw counter (Sphinx is imported here, not in
``records``/``rules``, which the checker shares)."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.domains import Domain
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from ..files import whole_file
from ..tools.sources import read_bib
from . import records as rec
from . import rules

logger = logging.getLogger(__name__)

#: Figures drawn by this process (the tests read it: an unchanged rebuild draws none).
STATS = {"drawn": 0}
#: The output format of this process's builder ("html", "latex", ...): which file a figure needs.
BUILD = {"format": "html"}


class evidence_data(nodes.Admonition, nodes.Element):
    """ "Show the data": a figure's numbers as a table; collapsed in HTML, open in print."""


def visit_evidence_data_latex(self, node: evidence_data) -> None:
    # The title node that follows writes the environment's argument, as for any admonition.
    self.body.append("\n\\begin{textbookevidencedata}")


def depart_evidence_data_latex(self, node: evidence_data) -> None:
    self.body.append("\\end{textbookevidencedata}\n")


class evidence_wide_table(nodes.General, nodes.Element):
    """A wide generated table: in the PDF, set in the ``textbookevidencetable`` environment
    (smaller type, closer columns); other builders show the table inside as it is."""


def visit_evidence_wide_table_latex(self, node: evidence_wide_table) -> None:
    self.body.append("\n\\begin{textbookevidencetable}\n")


def depart_evidence_wide_table_latex(self, node: evidence_wide_table) -> None:
    self.body.append("\\end{textbookevidencetable}\n")


def pass_through(self, node: nodes.Element) -> None:
    pass


class OpenDataInEpub(SphinxPostTransform):
    """E-readers show ``<details>`` unreliably: the data is printed open, as in the PDF."""

    default_priority = 900
    builders = ("epub",)

    def run(self, **kwargs) -> None:
        for box in self.document.findall(evidence_data):
            box.attributes.pop("collapsible", None)


class EvidenceDomain(Domain):
    """Which documents show which records (merged across parallel readers)."""

    name = "evidence"
    label = "Evidence"
    initial_data: dict[str, Any] = {"shown": {}, "checked": None}  # docname -> {record ids}
    data_version = 1

    def note_shown(self, docname: str, ids: list[str]) -> None:
        self.data["shown"].setdefault(docname, set()).update(ids)

    def clear_doc(self, docname: str) -> None:
        self.data["shown"].pop(docname, None)

    def merge_domaindata(self, docnames: set[str], otherdata: dict[str, Any]) -> None:
        for docname, ids in otherdata["shown"].items():
            if docname in docnames:
                self.data["shown"][docname] = ids

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        return []


# -- The records, read once per change of their files ------------------------------------------

_MEMO: dict[str, Any] = {}
#: The parsed records kept in the doctree folder between builds: parsing every file again
#: (libyaml plus the line map) was about 30 ms of every build, an unchanged rebuild included;
#: unpickling them is under 2 ms.
RECORDS_CACHE = "evidence-records.pickle"


def _signature(paths: list[Path]) -> tuple:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths if p.exists())


def book_records(srcdir: Path, cache_dir: Path | None = None,
                 ) -> tuple[list[rec.Record], list[rec.FileProblem], dict[str, rec.Record]]:
    """The book's records, their problems and the index by id; ``cache_dir``: where to keep them."""
    files = rec.evidence_files(srcdir)
    signature = (str(srcdir), _signature(files))
    if _MEMO.get("signature") != signature:
        value = _load_cached(cache_dir, signature)
        if value is None:
            found, problems = rec.read_all(srcdir)
            value = (found, problems, rec.by_id(found))
            _save_cached(cache_dir, signature, value)
        _MEMO.update(signature=signature, value=value)
    return _MEMO["value"]


def _load_cached(cache_dir: Path | None, signature: tuple):
    if cache_dir is None:
        return None
    try:
        with open(cache_dir / RECORDS_CACHE, "rb") as cached:
            stored_signature, value = pickle.load(cached)
    except Exception:  # missing, partly written by a killed build, or from another version: read again
        return None
    return value if stored_signature == (rec.__file__, _code_version(), signature) else None


def _save_cached(cache_dir: Path | None, signature: tuple, value) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with whole_file(cache_dir / RECORDS_CACHE) as partial:
            partial.write_bytes(pickle.dumps(((rec.__file__, _code_version(), signature), value)))
    except OSError:
        pass  # a read-only build folder: the records are parsed again next time


def _code_version() -> str:
    """The records module's own source: a change to how records are parsed drops the cache."""
    return hashlib.sha256(Path(rec.__file__).read_bytes()).hexdigest()


def _bib_keys(app) -> set[str]:
    keys: set[str] = set()
    for name in app.config.bibtex_bibfiles:
        path = Path(app.srcdir) / name
        if path.exists():
            keys.update(read_bib(path.read_text(encoding="utf-8", errors="replace")))
    return keys


def check_records(app, env, docnames) -> None:
    """Report every bad record as file:line, once per change of the records or the bibliography."""
    srcdir = Path(app.srcdir)
    files = rec.evidence_files(srcdir)
    if not files:
        return
    bibs = [srcdir / name for name in app.config.bibtex_bibfiles]
    signature = _signature(files + bibs)
    domain = env.get_domain("evidence")
    if domain.data.get("checked") == signature:
        return
    found, problems, _ = book_records(srcdir, Path(env.doctreedir))
    problems = problems + rules.validate(found, _bib_keys(app))
    for problem in problems:
        logger.error("%s (%s)", problem.message, problem.rule, location=f"{problem.path}:{problem.line}",
                     type="evidence", subtype=problem.rule)
    # Only a clean set is remembered, so a problem is reported again until it is fixed.
    domain.data["checked"] = None if problems else signature


def note_format(app) -> None:
    BUILD["format"] = app.builder.format


def report_drawn(app, exception) -> None:
    if STATS["drawn"]:
        logger.info("evidence: drew %d figure(s) into %s", STATS["drawn"], app.config.evidence_figure_dir)
