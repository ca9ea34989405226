"""Entry points read once give what importlib.metadata gives each time (textbook.speed.entrypoints)."""

import importlib.metadata

from textbook.speed import entrypoints


def test_the_memo_selects_the_same_entry_points_in_the_same_order():
    entrypoints.read_entry_points_once()
    assert importlib.metadata.entry_points is entrypoints.entry_points
    for group in ("pybtex.style.formatting", "sphinxcontrib.bibtex.style.referencing", "pygments.styles",
                  "sphinx.html_themes", "console_scripts", "no.such.group"):
        assert list(entrypoints.entry_points(group=group)) == list(entrypoints._original(group=group)), group
    assert list(entrypoints.entry_points(group="pybtex.style.formatting", name="unsrt")) == \
        list(entrypoints._original(group="pybtex.style.formatting", name="unsrt"))
    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin

    assert pybtex.plugin.entry_points is entrypoints.entry_points
    assert sphinxcontrib.bibtex.plugin.entry_points is entrypoints.entry_points
