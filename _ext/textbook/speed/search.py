"""The HTML search index: Sphinx's English stemming, with each word's stem remembered.

Sphinx stems every word of every page with Snowball, in pure Python, and keeps
no memo; a book repeats the same few thousand words, so stemming was the
largest single cost of writing its pages. The index it builds is unchanged.

The memo is kept between builds in the doctree folder (``search-stems.json``, under
the stemmer's version): an incremental build indexes the edited chapter's words
again, which Snowball would otherwise stem afresh in each new process (about 40 ms
a chapter of the synthetic book).

Works around: ``sphinx.search.en.SearchEnglish.stem`` calling snowballstemmer for
every word with no memo, measured with Sphinx 9.0.4 and snowballstemmer 3.1.1.
Delete when Sphinx memoises stems itself.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from sphinx.search.en import SearchEnglish

MEMO_FILE = "search-stems.json"


class SearchEnglishMemo(SearchEnglish):
    #: word -> stem, shared by the instances of one process and kept between builds.
    stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        stem = self.stems.get(word)
        if stem is None:
            stem = self.stems[word] = super().stem(word)
        return stem


def _stemmer_version() -> str:
    try:
        return f"sphinx-en/snowballstemmer {version('snowballstemmer')}"
    except Exception:  # noqa: BLE001 no metadata: do not reuse a memo
        return ""


_loaded_size: dict[str, int] = {}


def load_stems(app) -> None:
    """``builder-inited``: start from the stems the last build into this doctree folder saved."""
    if app.builder.format != "html":
        return
    path = Path(app.doctreedir, MEMO_FILE)
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    if isinstance(saved, dict) and saved.get("version") == _stemmer_version() and _stemmer_version():
        stems = saved.get("stems")
        if isinstance(stems, dict):
            SearchEnglishMemo.stems.update(stems)
    _loaded_size[str(path)] = len(SearchEnglishMemo.stems)


def save_stems(app, exception) -> None:
    """``build-finished``: keep the stems for the next build, if this one added any."""
    if exception or app.builder.format != "html":
        return
    path = Path(app.doctreedir, MEMO_FILE)
    if len(SearchEnglishMemo.stems) == _loaded_size.get(str(path), -1) and path.is_file():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"version": _stemmer_version(), "stems": SearchEnglishMemo.stems},
                                   sort_keys=True), encoding="utf-8")
    except OSError:
        pass
