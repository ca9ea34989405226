"""Templates that cannot come out empty are not rendered twice (textbook.speed.themetemplates)."""

import types

import jinja2

from textbook.speed import themetemplates


def _app(templates: dict[str, str]):
    environment = jinja2.Environment(loader=jinja2.DictLoader(templates))
    templates_ = types.SimpleNamespace(environment=environment)
    return types.SimpleNamespace(builder=types.SimpleNamespace(templates=templates_))


def test_only_a_template_that_opens_with_markup_skips_the_empty_check():
    themetemplates._checked.clear()
    app = _app({
        "sbt-sidebar-nav.html": "{# nav #}\n<nav>{{ toctree }}</nav>",
        "article-header-buttons.html": '{% from "m.html" import f with context %}\n<div>{{ f() }}</div>',
    })
    assert themetemplates._opens_with_markup(app, "sbt-sidebar-nav.html")
    assert themetemplates._opens_with_markup(app, "article-header-buttons.html")
    themetemplates._checked.clear()
    conditional = _app({"sbt-sidebar-nav.html": "{% if toctree %}<nav>{{ toctree }}</nav>{% endif %}"})
    assert not themetemplates._opens_with_markup(conditional, "sbt-sidebar-nav.html")
    themetemplates._checked.clear()
    assert not themetemplates._opens_with_markup(_app({}), "sbt-sidebar-nav.html")  # not found: keep the check
    themetemplates._checked.clear()


def test_the_skip_list_reaches_the_theme(monkeypatch):
    seen = {}

    def theme_check(app, context, templates, section, templates_skip_empty_check=None):
        seen["skip"] = templates_skip_empty_check
        return templates

    monkeypatch.setattr(themetemplates, "_original", theme_check)
    themetemplates._checked.clear()
    app = _app({"sbt-sidebar-nav.html": "<nav></nav>", "icon-links.html": "{% if links %}<a></a>{% endif %}"})
    themetemplates.update_and_remove_templates(app, {}, ["sbt-sidebar-nav", "icon-links.html"], "sidebars",
                                               ["navbar-nav.html"])
    assert seen["skip"] == ["navbar-nav.html", "sbt-sidebar-nav.html"]
    themetemplates._checked.clear()
