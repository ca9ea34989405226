"""sphinx-sitemap without a server process in a serial build.

Works around: sphinx-sitemap 2.9.0 collects the written pages' addresses in a
``multiprocessing.Manager().Queue()``, made at ``builder-inited`` of every build, so
that parallel writers (forked processes) can add to it. A manager is a server
process: starting it forks the whole Sphinx process and every page's address is
sent to it over a socket. Measured with Sphinx 9.0.4 on the 10-chapter synthetic
book: about 30 ms of every build, no-op included, and a second process competing
for the two cores. When the build writes in one process (no ``-j``), the same queue
interface (``put``, ``get_nowait``, ``empty``) is given by ``queue.Queue`` in this
process; with ``-j`` the manager is kept. The sitemap is the same
(tests/site, tests/speed/test_parallel.py). Delete when sphinx-sitemap makes its
manager only for parallel builds.
"""

from __future__ import annotations

import queue


class InProcessManager:
    """Stands in for ``multiprocessing.Manager()`` where only ``Queue()`` is used."""

    def Queue(self) -> queue.Queue:  # noqa: N802 (the manager's method name)
        return queue.Queue()


def choose_queue(app) -> None:
    """``builder-inited``, before sphinx-sitemap's handler: a plain queue unless writing in parallel."""
    try:
        import sphinx_sitemap
    except ImportError:
        return
    original = getattr(sphinx_sitemap, "_textbook_manager", None)
    if original is None:
        original = sphinx_sitemap._textbook_manager = sphinx_sitemap.Manager
    sphinx_sitemap.Manager = original if app.parallel > 1 else InProcessManager
