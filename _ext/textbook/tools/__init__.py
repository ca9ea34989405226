"""The tools wing: command-line programs for contributors, run without Sphinx.

- ``python -m textbook.tools.check``: the chapter checker (``make check``);
- ``python -m textbook.tools.new``: a new chapter from the template (``make new``);
- ``sources``: reads citation keys, front matter and glossary terms from the
  Markdown and BibTeX sources, for the checker, the scaffold and the tests.
"""
