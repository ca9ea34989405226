"""Formatted references kept between builds.

sphinxcontrib-bibtex formats every entry of every bibliography at
``env-updated``, on every build, even when nothing changed; with one list per
chapter that was most of an incremental build. ``VancouverStyle`` memoises its
output; these handlers lend it the memo saved in the environment (in the
textbook domain, so it is pickled with the rest) and drop what this build no
longer used.
"""

from __future__ import annotations

from .bibstyle import VancouverStyle


def lend_memo(app, env, docnames) -> None:
    """Before reading: the style starts from what the last build formatted."""
    memo = env.get_domain("textbook").data.setdefault("formatted_references", {})
    VancouverStyle.formatted = memo
    VancouverStyle.used = set()


def drop_unused(app, env) -> None:
    """After sphinxcontrib-bibtex formatted its lists: keep only what they used."""
    memo = VancouverStyle.formatted
    for key in [key for key in memo if key not in VancouverStyle.used]:
        del memo[key]
