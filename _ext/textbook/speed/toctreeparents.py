"""A page's toctree parents are rewritten only when what their toctree shows of it changed.

Works around: Sphinx 9.0.4 (``Builder.write``) rewrites every document whose toctree
includes a changed document (``env.files_to_rebuild``), whatever changed in it. A
parent's toctree shows only the child's title and section tree (``env.titles``,
``env.tocs``, its ``tocdepth``, its own toctree entries, its section and figure
numbers), so an edit to a chapter's text rewrote the front page as well: about
0.15 s of every incremental build of the 10-chapter synthetic book (half the
writing). Before a document is read again (``env-purge-doc``) this module notes
those parts; when writing starts, a document whose parts are unchanged drops out of
``env.files_to_rebuild`` for this build (the environment was already saved with the
full map, which is put back when the build ends). A new title, a new or renamed
section, a changed toctree or numbering still rewrites the parents, as before.
Delete when Sphinx compares the toctree entries itself.
"""

from __future__ import annotations

import weakref

#: env -> {docname: what its toctree parents showed of it before it was read again}
_before: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: env -> the full ``files_to_rebuild`` map, while a narrowed one is in place
_full_map: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def shown_in_parents(env, docname: str) -> tuple | None:
    """What a toctree that includes ``docname`` renders of it."""
    title, toc = env.titles.get(docname), env.tocs.get(docname)
    if title is None or toc is None:
        return None
    return (
        title.pformat(),
        toc.pformat(),
        env.metadata.get(docname, {}).get("tocdepth"),
        tuple(env.toctree_includes.get(docname, ())),
        repr(env.toc_secnumbers.get(docname)),
        repr(env.toc_fignumbers.get(docname)),
    )


def note_before_reading(app, env, docname: str) -> None:
    """``env-purge-doc``: remember what the parents show of a document about to be read again."""
    shown = shown_in_parents(env, docname)
    if shown is not None:
        _before.setdefault(env, {})[docname] = shown


def narrow_parents(app, builder) -> None:
    """``write-started``: unchanged documents do not make their toctree parents be written."""
    env = builder.env
    before = _before.pop(env, {})
    unchanged = {docname for docname, shown in before.items()
                 if docname in env.found_docs and shown_in_parents(env, docname) == shown}
    if not unchanged:
        return
    _full_map[env] = env.files_to_rebuild
    env.files_to_rebuild = {docname: parents for docname, parents in env.files_to_rebuild.items()
                            if docname not in unchanged}


def restore_parents(app, exception) -> None:
    """``build-finished``: the full map again, for anything that saves or reads the environment later."""
    env = app.env
    if env in _full_map:
        env.files_to_rebuild = _full_map.pop(env)
