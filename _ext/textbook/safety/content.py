"""No active content is published: raw markup is refused, links use allowed schemes, roles parse.

The policy (ARCHITECTURE.md, "Safe to build strangers' pull requests"):

- raw HTML, ``{raw}`` and ``{eval-rst}`` are refused in every document, not
  sanitised. Markdown and the book's directives already say everything a
  chapter needs; raw HTML never reaches the PDF (a silent loss), and
  ``{eval-rst}`` would reopen every directive and role the checker's rules
  cover, under another syntax. HTML comments are not content: dropped quietly;
- every link target in every output (chapters, glossary, bibliography
  entries from ``references.bib``) is internal or uses an allowed scheme
  (``rules.ALLOWED_SCHEMES``); a refused link keeps its text;
- math, the one place a chapter writes LaTeX, has no file or definition commands;
- a malformed or empty citation role is an error at its line, not a traceback
  or literal text;
- front-matter keys that change MyST's settings or the page head are refused.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.utils import get_source_line
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.roles import CiteRole

from .rules import REFUSED_FRONT_MATTER, TEX_FILE_COMMANDS, link_problem

logger = logging.getLogger(__name__)

REFUSED_EVAL_RST = "textbook-refused-eval-rst"
#: url fields of references.bib already named at their line (bibcheck.py): not named again per chapter.
BIB_LINKS_REPORTED: set[str] = set()
_EVAL_RST_FENCE = re.compile(r"^(\s*(?:`{3,}|~{3,}|:{3,})\s*)\{eval-rst\}", re.MULTILINE)
_HTML_COMMENTS_ONLY = re.compile(r"\s*(?:<!--.*?-->\s*)+", re.DOTALL)


class RefusedDirective(Directive):
    """``{raw}`` (and ``{eval-rst}``, renamed to this when the source is read): an error at its line."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {name: directives.unchanged for name in ("file", "url", "encoding", "class")}

    def run(self):
        env = self.state.document.settings.env
        name = "eval-rst" if self.name == REFUSED_EVAL_RST else self.name
        why = ("it would run reStructuredText that the chapter rules do not see"
               if name == "eval-rst" else "write Markdown and the book's directives instead")
        logger.error(f"{{{name}}} is not allowed in a chapter: {why} (see CONTRIBUTING.md)",
                     location=(env.docname, self.lineno))
        return []


def refuse_before_parsing(app, docname: str, source: list[str]) -> None:
    """``source-read`` of a Markdown document: rename ``{eval-rst}`` and refused front-matter keys.

    MyST runs ``{eval-rst}`` itself, before any directive lookup, and acts on
    ``myst:`` and ``html_meta:`` while it reads the front matter; renamed,
    they reach the refusing directive or nobody. Lines keep their numbers.
    """
    if not str(app.env.doc2path(docname)).endswith(".md"):
        return
    text = source[0]
    if text.startswith("\ufeff"):
        text = text[1:]
    text = _EVAL_RST_FENCE.sub(lambda m: m.group(1) + "{" + REFUSED_EVAL_RST + "}", text)
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                break
            key = re.match(r"([A-Za-z_][\w-]*)\s*:", lines[index])
            if key and key.group(1) in REFUSED_FRONT_MATTER:
                logger.error(REFUSED_FRONT_MATTER[key.group(1)], location=(docname, index + 1))
                lines[index] = "textbook-refused-" + lines[index]
    source[0] = "\n".join(lines)


def _refuse_link(node: nodes.reference, problem: str, *, report: bool = True) -> None:
    if report:
        logger.error(f"link '{node['refuri'][:60]}': {problem}", location=node)
    text = nodes.inline(node.rawsource, "", *node.children)
    node.replace_self(text)


class RefuseActiveContent(SphinxTransform):
    """While a document is read: raw markup, meta tags, unsafe links and TeX file commands are errors."""

    default_priority = 210

    def apply(self) -> None:
        lines_reported = set()
        for raw in list(self.document.findall(nodes.raw)):
            if _HTML_COMMENTS_ONLY.fullmatch(raw.astext()):
                raw.parent.remove(raw)  # a comment is not content
                continue
            what = "raw HTML" if "html" in raw.get("format", "") else f"raw {raw.get('format', '')} content"
            where = get_source_line(raw)
            if where in lines_reported:
                raw.parent.remove(raw)
                continue
            lines_reported.add(where)
            logger.error(f"{what} is not allowed in a chapter: write Markdown and the book's directives "
                         "instead (see CONTRIBUTING.md)", location=raw)
            raw.parent.remove(raw)
        for meta in list(self.document.findall(nodes.meta)):
            logger.error("a <meta> tag is not allowed in a chapter", location=meta)
            meta.parent.remove(meta)
        for node in list(self.document.findall(nodes.reference)):
            problem = link_problem(node.get("refuri", ""))
            if problem:
                _refuse_link(node, problem)
        for node in list(self.document.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block)))):
            command = TEX_FILE_COMMANDS.search(node.astext())
            if command:
                logger.error(f"'\\{command.group(1)}' is not allowed in math: it reads or writes files, "
                             "or redefines commands, in the PDF build", location=node)
                node.replace_self(nodes.literal(node.astext(), node.astext()))
        for spec in list(self.document.findall(addnodes.tabular_col_spec)):
            if TEX_FILE_COMMANDS.search(spec.get("spec", "")):
                logger.error("this tabularcolumns holds a LaTeX command that is not allowed", location=spec)
                spec.parent.remove(spec)
        self._refuse_empty_roles()

    def _refuse_empty_roles(self) -> None:
        """``{cite:p}``\u200b`` (nothing between the backticks) is not a role to MyST: it would print as text."""
        for text in list(self.document.findall(nodes.Text)):
            if isinstance(text.parent, (nodes.literal, nodes.literal_block, nodes.FixedTextElement,
                                        nodes.math, nodes.raw, nodes.comment)):
                continue
            found = re.search(r"\{[a-z][\w:+.-]*\}(?:``|`\s*`|\s*$)", str(text))
            following = text.parent.children[text.parent.index(text) + 1:] if text.parent else []
            if found and (found.group(0).startswith("{") and "`" in found.group(0)
                          or following and isinstance(following[0], nodes.literal)):
                role = re.match(r"\{[^}]+\}", found.group(0)).group(0)
                logger.error(f"the role {role} has nothing between its backticks, or a space before them: "
                             f"write {role}`content` with no space", location=text.parent)
            # markdown-it leaves a link with a refused scheme as text: "[x](javascript:...)", "<data:...>".
            for target in re.findall(r"\]\(\s*<?([^)\s>]+)|<([A-Za-z][\w+.-]*:[^\s<>]*)>", str(text)):
                problem = link_problem(target[0] or target[1])
                if problem:
                    logger.error(f"link '{(target[0] or target[1])[:60]}': {problem}", location=text.parent)


class RefuseUnsafeLinksAfterResolving(SphinxPostTransform):
    """Before writing, in every output: links added since reading (bibliography entries) are checked too."""

    default_priority = 900  # after sphinxcontrib-bibtex formats the bibliographies

    def run(self, **kwargs) -> None:
        reported = BIB_LINKS_REPORTED
        for node in list(self.document.findall(nodes.reference)):
            problem = link_problem(node.get("refuri", ""))
            if problem:
                # An entry's own url field was named at its references.bib line already.
                _refuse_link(node, problem, report=node["refuri"] not in reported)


def _malformed_citation(target: str) -> str | None:
    if not target.strip():
        return "it names no reference"
    keys = target.split(",")
    if any(not key.strip() for key in keys):
        return "it has an empty key (a comma with nothing after it, or two commas)"
    try:
        list(parse_citation_targets(target))
    except ValueError:
        return "keys are separated by commas and have no spaces inside"
    return None


class CheckedCiteRole(CiteRole):
    """sphinxcontrib-bibtex's citation role (2.7.0 raises ValueError on ``a,`` or ``a b``): an error instead."""

    def result_nodes(self, document, env, node, is_ref):
        problem = _malformed_citation(self.target)
        if problem:
            written = f"{{{self.name}}}`{self.text}`"
            logger.error(f"malformed citation {written}: {problem}", location=(env.docname, self.lineno))
            return [nodes.inline(self.rawtext, self.rawtext)], []
        return super().result_nodes(document, env, node, is_ref)


def check_citation_roles(app) -> None:
    """Swap in the checked role for each of the ``cite`` domain's roles (``p``, ``t``, ``ps``, ...)."""
    domain_class = app.registry.domains.get("cite")
    if domain_class is None:
        return
    for name, role in domain_class.roles.items():
        if isinstance(role, CiteRole) and not isinstance(role, CheckedCiteRole):
            app.add_role_to_domain("cite", name, CheckedCiteRole(), override=True)
