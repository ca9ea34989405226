"""Sphinx extension for the textbook: one wing (sub-package) per concern.

- ``lesson``: the lesson's parts (front matter, header, margin notes, anchor, Prove it,
  This connects to, Key points) and their writers;
- ``references``: the numbered Vancouver references, each chapter keeping its own list;
- ``publish``: the PDF's parts and style, the EPUB theme, the downloads, the web assets;
- ``speed``: build speed-ups that work around upstream behaviour (removable when it changes);
- ``tools``: the chapter checker, the chapter scaffold and the source readers they share
  (command-line programs that never import Sphinx);
- ``evidence``: the trials as data (``evidence/*.yaml``) and the figures and tables drawn from it;
- ``safety``: what makes a stranger's pull request safe to build and publish;
- ``site``: the book on the web (meta, cards, 404, fast first paint, "Cite this chapter").

``setup()`` only registers: each wing registers its own parts through
``setup_<wing>(app)``. The wings import Sphinx and their libraries inside those
functions, not at module level, so ``python -m textbook.tools.check`` (which imports
this package first) starts without loading Sphinx. See ARCHITECTURE.md for the map.
"""

from __future__ import annotations

__version__ = "1.0.0"


def setup(app):
    from .speed.entrypoints import read_entry_points_once

    # First: sphinxcontrib-bibtex, which the references wing sets up, looks up pybtex
    # plugins as it is imported.
    read_entry_points_once()

    from .evidence import setup_evidence
    from .lesson import setup_lesson
    from .publish import setup_publish
    from .references import setup_references
    from .safety import setup_safety
    from .site import setup_site
    from .speed import setup_speed

    setup_references(app)
    setup_lesson(app)
    setup_publish(app)
    setup_speed(app)
    setup_evidence(app)
    setup_safety(app)
    setup_site(app)
    return {"version": __version__, "env_version": 1,
            "parallel_read_safe": True, "parallel_write_safe": True}
