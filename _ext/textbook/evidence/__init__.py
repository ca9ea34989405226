"""The evidence wing: trials as data (``evidence/*.yaml``), figures and tables drawn from it.

``setup_evidence(app)`` registers the ``{evidence-figure}`` and ``{evidence-table}``
directives, the ``evidence_data`` node ("Show the data", collapsible in HTML and
printed open in the PDF and EPUB), the ``evidence`` domain and the build-time
check of the records. The records' schema and its rules are pure Python
(``records.py``, ``rules.py``), shared with ``python -m textbook.tools.check``;
matplotlib is imported only by ``draw.py``, and only to draw a figure that is not
cached yet. See evidence/README.md for the format and ARCHITECTURE.md for why.
"""

from __future__ import annotations


def setup_evidence(app) -> None:
    # Imported here, not at module level: the checker imports ``evidence.rules``
    # and must not load Sphinx (see the package docstring of ``textbook``).
    from ..lesson import writers
    from . import directives
    from .build import (
        EvidenceDomain,
        OpenDataInEpub,
        check_records,
        depart_evidence_data_latex,
        depart_evidence_wide_table_latex,
        evidence_data,
        evidence_wide_table,
        note_format,
        pass_through,
        report_drawn,
        visit_evidence_data_latex,
        visit_evidence_wide_table_latex,
    )

    # Cached figures live inside the source folder (Sphinx copies images from there) but
    # under _build, which is excluded from reading and removed by `make clean`.
    app.add_config_value("evidence_figure_dir", "_build/evidence-figures", "env", str)
    app.add_domain(EvidenceDomain)
    box = (writers.visit_box, writers.depart_box)
    app.add_node(evidence_data, html=box, text=box,
                 latex=(visit_evidence_data_latex, depart_evidence_data_latex))
    app.add_node(evidence_wide_table, html=(pass_through, pass_through), text=(pass_through, pass_through),
                 latex=(visit_evidence_wide_table_latex, depart_evidence_wide_table_latex))
    app.add_directive("evidence-figure", directives.EvidenceFigureDirective)
    app.add_directive("evidence-table", directives.EvidenceTableDirective)
    app.add_post_transform(OpenDataInEpub)
    app.connect("builder-inited", note_format)
    app.connect("env-before-read-docs", check_records)
    app.connect("build-finished", report_drawn)
