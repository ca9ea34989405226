"""A fast first paint: no script blocks the page from being drawn.

Sphinx and the themes add their scripts to the head without ``defer``; each one holds
the first paint back by a round trip on a slow phone connection. Deferred, they run in
the same order once the page is parsed, before DOMContentLoaded, which is when they
first act. ``documentation_options.js`` stays as it is: the inline scripts after it set
fields on the object it defines, and it is 400 bytes. The theme's search scripts, which
it writes straight into its template, are deferred by ``templates/layout.html``.
"""

from __future__ import annotations

from pathlib import Path

from ..publish.downloadlinks import WEB_BUILDERS

TEMPLATES = Path(__file__).parent / "templates"
#: Needed by inline scripts that run while the page is parsed.
KEEP_BLOCKING = ("documentation_options.js",)


def add_templates(app, config) -> None:
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.append(str(TEMPLATES))


def defer_scripts(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.name not in WEB_BUILDERS or "script_files" not in context:
        return
    if pagename == "search":
        # Its template loads searchtools.js without defer, and that needs doctools.js first.
        return
    from sphinx.builders.html._assets import _JavaScript

    scripts = []
    for script in context["script_files"]:
        filename = str(getattr(script, "filename", script) or "")
        attributes = dict(getattr(script, "attributes", {}))
        if (filename and not filename.endswith(KEEP_BLOCKING) and "body" not in attributes
                and "async" not in attributes and "defer" not in attributes):
            script = _JavaScript(filename, priority=script.priority, **attributes, defer="defer")
        scripts.append(script)
    context["script_files"] = scripts
