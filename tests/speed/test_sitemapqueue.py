"""sphinx-sitemap in a serial build: no manager process, and an incremental sitemap as full.

(textbook.speed.sitemapqueue)
"""

import queue

import conftest
from textbook.speed import sitemapqueue

SITEMAP_CONF = """
extensions += ["sphinx_sitemap"]
html_baseurl = "https://example.org/book/"
sitemap_url_scheme = "{link}"
"""


def test_an_incremental_build_keeps_every_page_in_the_sitemap(project, monkeypatch):
    monkeypatch.setattr(conftest, "TINY_CONF", conftest.TINY_CONF + SITEMAP_CONF)
    project.build({"a.md": "# A\n\nText.\n", "b.md": "# B\n\nText.\n", "c.md": "# C\n\nText.\n"})
    assert isinstance(project.app.sitemap_links, queue.Queue)  # in this process: no manager
    full = project.output("sitemap.xml")
    assert [f"https://example.org/book/{name}.html" in full for name in ("index", "a", "b", "c")] == [True] * 4

    (project.path / "b.md").write_text("# B\n\nText, edited.\n")
    project.rebuild()
    assert project.output("sitemap.xml") == full

    (project.path / "c.md").unlink()
    (project.path / "index.md").write_text("# Book\n\n```{toctree}\na\nb\n```\n")
    project.rebuild()
    assert "c.html" not in project.output("sitemap.xml")
    assert "https://example.org/book/b.html" in project.output("sitemap.xml")


def test_a_parallel_incremental_build_keeps_every_page_in_the_sitemap(project, monkeypatch):
    monkeypatch.setattr(conftest, "TINY_CONF", conftest.TINY_CONF + SITEMAP_CONF)
    project.build({"a.md": "# A\n\nText.\n", "b.md": "# B\n\nText.\n"}, parallel=2)
    full = project.output("sitemap.xml")
    assert "https://example.org/book/a.html" in full
    (project.path / "b.md").write_text("# B\n\nText, edited.\n")
    project.rebuild(parallel=2)
    assert project.output("sitemap.xml") == full


def test_a_parallel_build_keeps_the_manager(monkeypatch):
    import sphinx_sitemap

    app = type("App", (), {"parallel": 2})()
    sitemapqueue.choose_queue(app)
    assert sphinx_sitemap.Manager is sphinx_sitemap._textbook_manager
    app.parallel = 0
    sitemapqueue.choose_queue(app)
    assert sphinx_sitemap.Manager is sitemapqueue.InProcessManager
