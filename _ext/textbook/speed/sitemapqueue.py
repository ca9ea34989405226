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
(tests/site, tests/speed/test_parallel.py).

The same step also mends sphinx-sitemap 2.9.0's incremental builds, serial or
parallel, which wrote a sitemap of only the pages that build wrote (one chapter, after
an edit): the pages of earlier builds into this doctree folder that are still
documents of the book are put back, and the whole list is given in page order, as a
full build gives it, so the sitemap is the full build's. Delete when sphinx-sitemap makes its manager only for
parallel builds and keeps its earlier pages.
"""

from __future__ import annotations

import json
import queue
from pathlib import Path

RECORD = "sitemap-links.json"


class PageQueue(queue.Queue):
    """A queue that remembers what this build put in it."""

    def __init__(self) -> None:
        super().__init__()
        self.put_this_build: dict[str, str | None] = {}

    def put(self, item, *args, **kwargs) -> None:
        self.put_this_build[item[0]] = item[1]
        super().put(item, *args, **kwargs)


class InProcessManager:
    """Stands in for ``multiprocessing.Manager()`` where only ``Queue()`` is used."""

    def Queue(self) -> queue.Queue:  # noqa: N802 (the manager's method name)
        return PageQueue()


def add_earlier_pages(app, exception) -> None:
    """``build-finished``, before sphinx-sitemap writes: this build's pages and the earlier ones, in order."""
    links = getattr(app, "sitemap_links", None)
    if exception or links is None:
        return
    if isinstance(links, PageQueue):
        this_build = dict(links.put_this_build)
        while not links.empty():
            links.get_nowait()
        put = lambda item: queue.Queue.put(links, item)  # noqa: E731 (not recorded as this build's)
    else:  # the manager's queue of a parallel build: every writer has finished
        this_build = {}
        while not links.empty():
            link, lastmod = links.get_nowait()
            this_build[link] = lastmod
        put = links.put
    if not this_build:
        return  # nothing written: sphinx-sitemap leaves the last sitemap as it is
    suffix = app.config.html_file_suffix or ".html"
    record = Path(app.doctreedir, RECORD)
    try:
        earlier = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = {}
    pages = {}
    if app.builder.name == "html" and isinstance(earlier, dict):
        pages = {link: lastmod for link, lastmod in earlier.items()
                 if link.endswith(suffix) and link[:-len(suffix)] in app.env.found_docs}
    pages.update(this_build)
    for link in sorted(pages):
        put((link, pages[link]))
    try:
        record.write_text(json.dumps(pages, sort_keys=True), encoding="utf-8")
    except OSError:
        pass


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
