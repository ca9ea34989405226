"""How each builder writes the lesson nodes: HTML, LaTeX and plain text.

Boxes reuse the builders' own admonition code. In LaTeX each box is a named
environment from ``textbook.sty``; no box nests inside another (a model
answer is a titled run inside its case), so a long answer can break across
pages.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from docutils import nodes

from . import nodes as tb


def reviewed_text(iso_date: str) -> str:
    day = dt.date.fromisoformat(iso_date)
    return f"Last reviewed {day.day} {day:%B %Y}"


# -- HTML --------------------------------------------------------------------

def visit_lesson_header_html(self, node: tb.lesson_header) -> None:
    self.body.append(
        '<div class="lesson-header">'
        f'<p class="lesson-kicker"><span class="lesson-id">{escape(node["lesson_id"])}</span>'
        f'<span class="lesson-context">{escape(node["context"])}</span>'
        f'<span class="lesson-position">{escape(node["position"])}</span></p>'
        f'<p class="lesson-subtitle">{escape(node["subtitle"])}</p>'
        f'<p class="lesson-reviewed"><time datetime="{node["reviewed"]}">'
        f'{escape(reviewed_text(node["reviewed"]))}</time></p></div>\n'
    )
    raise nodes.SkipNode


def visit_box(self, node: nodes.Admonition) -> None:
    """HTML and text: the builder's own admonition (a <details> when collapsible)."""
    self.visit_admonition(node)


def depart_box(self, node: nodes.Admonition) -> None:
    self.depart_admonition(node)


# -- LaTeX -------------------------------------------------------------------

LATEX_ENVIRONMENTS = {
    tb.anchor_summary: "textbookanchor",
    tb.prove_it: "textbookproveit",
    tb.connects_to: "textbookconnects",
}


def visit_lesson_header_latex(self, node: tb.lesson_header) -> None:
    fields = (node["lesson_id"], node["context"], node["position"], node["subtitle"],
              reviewed_text(node["reviewed"]))
    self.body.append("\n\\textbooklessonheader" + "".join(f"{{{self.encode(f)}}}" for f in fields) + "\n")
    raise nodes.SkipNode


def visit_margin_note_latex(self, node: tb.margin_note) -> None:
    # The title node that follows writes the second argument, as for any admonition.
    self.body.append("\n\\begin{{textbookmarginnote}}{{{}}}".format(node["kind"]))
    self.no_latex_floats += 1


def depart_margin_note_latex(self, node: tb.margin_note) -> None:
    self.body.append("\\end{textbookmarginnote}\n")
    self.no_latex_floats -= 1


def visit_box_latex(self, node: nodes.Admonition) -> None:
    self.body.append(f"\n\\begin{{{LATEX_ENVIRONMENTS[type(node)]}}}")
    self.no_latex_floats += 1


def depart_box_latex(self, node: nodes.Admonition) -> None:
    self.body.append(f"\\end{{{LATEX_ENVIRONMENTS[type(node)]}}}\n")
    self.no_latex_floats -= 1


def visit_model_answer_latex(self, node: tb.model_answer) -> None:
    # Printed in full inside its case; the title becomes the heading's argument.
    self.body.append("\n\\textbookanswerheading")


def depart_model_answer_latex(self, node: tb.model_answer) -> None:
    pass


# -- plain text --------------------------------------------------------------

def visit_lesson_header_text(self, node: tb.lesson_header) -> None:
    self.new_state(0)
    self.add_text(f"{node['lesson_id']} | {node['context']} | {node['position']}")
    self.end_state()
    self.new_state(0)
    self.add_text(node["subtitle"])
    self.end_state()
    self.new_state(0)
    self.add_text(reviewed_text(node["reviewed"]))
    self.end_state()
    raise nodes.SkipNode


def visit_key_points_unresolved(self, node: tb.key_points) -> None:
    # Replaced at doctree-resolved; a builder that never resolves gets nothing.
    raise nodes.SkipNode
