"""Shared fixtures: tiny Sphinx projects per directive, and the real book built once."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

pytest_plugins = ["sphinx.testing.fixtures"]

TINY_CONF = """
project = "tiny"
extensions = ["myst_parser", "sphinxcontrib.bibtex", "textbook"]
myst_enable_extensions = ["colon_fence"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "vancouver"
bibtex_reference_style = "label"
textbook_stages = {14: "Psychedelics & Neuroplastic Renewal"}
textbook_series = {"ketamine": {"title": "Ketamine in Mental Health series", "prefix": "KS"}}
latex_engine = "xelatex"
suppress_warnings = ["bibtex.duplicate_citation", "bibtex.duplicate_label"]
"""

TINY_BIB = """
@article{doe2020trial,
  author = {Doe, Jane and Roe, Richard},
  title = {A Randomized Trial of Something},
  journal = {J Test Med},
  year = {2020}, volume = {1}, number = {2}, pages = {3--4},
  doi = {10.1000/test.1}, pmid = {12345},
}
"""


#: One valid evidence record (evidence/README.md), citing TINY_BIB's entry.
TINY_EVIDENCE = """- id: doe2020
  cite: doe2020trial
  label: Doe 2020
  kind: trial
  indication: ptsd
  population: Adults with chronic PTSD
  design: rct-parallel
  n_randomised: 40
  arms:
    - drug: ketamine
  comparator: midazolam
  primary_outcome:
    instrument: CAPS-5
    timepoint: 24 hours
  effect:
    measure: mean difference
  direction: positive
  durability: not measured
  verified: a test record, not a source
"""


def front_matter(lesson_id="L14.4", concept=4, title="A Lesson", **extra) -> str:
    fields = {"id": lesson_id, "kind": "concept", "stage": 14, "concept": concept,
              "title": title, "subtitle": "Its subtitle", "reviewed": "2026-01-31", **extra}
    lines = "".join(f"  {key}: {value}\n" for key, value in fields.items() if value is not None)
    return f"---\nlesson:\n{lines}---\n\n# {title}\n\n"


def lesson(body: str = "", **fields) -> str:
    """A complete, valid lesson; ``body`` goes before its required parts."""
    return front_matter(**fields) + textwrap.dedent(body) + textwrap.dedent("""
        Text citing {cite:p}`doe2020trial`.

        :::{anchor}
        The one-paragraph summary.
        :::

        ::::{prove-it} A case
        The vignette.

        :::{answer}
        The model answer.
        :::
        ::::

        :::{connects-to}
        - {lesson}`L14.4`: itself, for the test.
        :::

        :::{bibliography}
        :filter: docname in docnames
        :::
        """)


class TinyProject:
    """A throwaway Sphinx project: write files, build, read what came out."""

    def __init__(self, path: Path):
        self.path = path

    def build(self, files: dict[str, str], builder: str = "html", parallel: int = 0) -> SphinxTestApp:
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / "conf.py").write_text(TINY_CONF)
        (self.path / "refs.bib").write_text(TINY_BIB)
        if "index.md" not in files:
            pages = "\n".join(name[:-3] for name in files)
            files = {"index.md": f"# Book\n\n```{{toctree}}\n{pages}\n```\n", **files}
        for name, text in files.items():
            (self.path / name).write_text(text)
        return self.rebuild(builder, parallel)

    def rebuild(self, builder: str = "html", parallel: int = 0) -> SphinxTestApp:
        """Build again, reusing the last build's environment and output."""
        app = SphinxTestApp(builder, srcdir=self.path, parallel=parallel)
        try:
            app.build()
        finally:
            app.cleanup()
        self.app = app
        return app

    def warnings(self) -> str:
        text = re.sub(r"\x1b\[[0-9;]*m", "", self.app.warning.getvalue())
        return text.replace(str(self.path) + "/", "")

    def output(self, name: str) -> str:
        return (Path(self.app.outdir) / name).read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path) -> TinyProject:
    return TinyProject(tmp_path / "project")


# -- The real book, built once per test session ------------------------------------

STRICT = ["-n", "-W", "--keep-going"]


@pytest.fixture(scope="session")
def book_build(tmp_path_factory) -> dict[str, Path | str]:
    """Build the whole book strictly, into a temporary folder, as `make book` does:
    HTML, LaTeX, PDF and EPUB, then the downloads (a PDF per chapter) into html/downloads."""
    out = tmp_path_factory.mktemp("book")
    python = sys.executable
    logs = {}
    for builder in ("html", "latex", "epub"):
        run = subprocess.run(
            [python, "-m", "sphinx", "-b", builder, *STRICT, "-q", "-d", str(out / "doctrees" / builder),
             str(ROOT), str(out / builder)],
            capture_output=True, text=True)
        logs[builder] = (run.returncode, run.stderr)
    pdf_log = ""
    if logs["latex"][0] == 0 and shutil.which("latexmk"):
        make = subprocess.run(["make", "-C", str(out / "latex"), "all-pdf"],
                              capture_output=True, text=True,
                              env={"LATEXMKOPTS": "-interaction=nonstopmode -halt-on-error",
                                   "PATH": __import__("os").environ["PATH"],
                                   # as scripts/clean-env: TeX reads no file outside its folder
                                   "openin_any": "p", "openout_any": "p", "shell_escape": "f"})
        pdf_log = make.stdout[-3000:] + make.stderr[-3000:]
    # The book's PDF, not the evidence figures the LaTeX build copies beside it.
    pdfs = sorted(p for p in (out / "latex").glob("*.pdf") if not p.name.startswith("evidence-"))
    downloads = subprocess.run([python, "-m", "textbook.publish.downloads", "--build", str(out)],
                               capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT / "_ext")})
    return {"out": out, "logs": logs, "pdf": pdfs[0] if pdfs else None, "pdf_log": pdf_log,
            "downloads_log": (downloads.returncode, downloads.stdout + downloads.stderr)}
