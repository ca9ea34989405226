"""pybtex reads plain text without its LaTeX decoder.

Works around: pybtex 0.26.1 turns every field it formats and every part of every
name into rich text with ``Text.from_latex``, which decodes the string with
latexcodec 3.0.1 (a tokenizer written in Python, a character at a time) and then
parses it for braces and commands. Most of a medical bibliography is plain text:
author names, titles, journals, years, pages. Measured with Sphinx 9.0.4 on the
10-chapter synthetic book: formatting its 156 references took about 0.7 s of a
full HTML build, two thirds of it in ``from_latex``.

A string with nothing the decoder or the parser would change (no backslash, brace,
tilde, percent or dollar sign, no quote or dash ligature such as ``--``, ``''``,
`````` or ``,,``, no inverted ``!``/``?`` ligature, no ``<<``/``>>``, no run of
white space or leading space, tab or newline) becomes ``Text(string)``, which is
what pybtex returns for it; one whose only such thing is ``--`` (a page range) becomes
``Text`` with an en dash there, as the decoder makes it (tests/speed/test_plainlatex.py compares both over
every field and name of references.bib and over random strings). Everything else
goes through pybtex as before. Delete when pybtex short-cuts plain strings itself.
"""

from __future__ import annotations

import re

#: Anything latexcodec's decoder or pybtex's LaTeX parser would change or read as markup.
LATEX_SPECIAL = re.compile(r"[\\{}~%$`\t\n\r\f\v]|--|,,|''|!`|\?`|<<|>>|\s\s|^\s")
#: The same but for ``--``, which the decoder makes an en dash (page ranges: ``801--811``).
LATEX_SPECIAL_BUT_DASHES = re.compile(r"[\\{}~%$`\t\n\r\f\v]|---|,,|''|!`|\?`|<<|>>|\s\s|^\s")

_original = None
_text = None


def from_latex(cls, latex):
    if not LATEX_SPECIAL.search(latex):
        return _text(latex)  # what the parser returns, whichever class it is called on
    if not LATEX_SPECIAL_BUT_DASHES.search(latex):
        return _text(latex.replace("--", "\u2013"))
    return _original.__func__(cls, latex)


def read_plain_text_directly() -> None:
    """Install the short cut on ``pybtex.richtext.Text`` (once per process)."""
    global _original, _text
    from pybtex.richtext import Text

    if _original is None:
        _original, _text = Text.__dict__["from_latex"], Text
        Text.from_latex = classmethod(from_latex)
