"""The HTML search index: Sphinx's English stemming, with each word's stem remembered.

Sphinx stems every word of every page with Snowball, in pure Python, and keeps
no memo; a book repeats the same few thousand words, so stemming was the
largest single cost of writing its pages. The index it builds is unchanged.

Works around: ``sphinx.search.en.SearchEnglish.stem`` calling snowballstemmer for
every word with no memo, measured with Sphinx 9.0.4 and snowballstemmer 3.1.1.
Delete when Sphinx memoises stems itself.
"""

from __future__ import annotations

from sphinx.search.en import SearchEnglish


class SearchEnglishMemo(SearchEnglish):
    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self._stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stems[word] = super().stem(word)
        return stem
