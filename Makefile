# Stage 14 textbook. `make help` lists the targets.
# Builds are strict: a warning is a bug (-n nitpicky, -W warnings are errors).

PYTHON      ?= .venv/bin/python
SPHINXBUILD ?= $(PYTHON) -m sphinx
SPHINXOPTS  ?= -n -W --keep-going
BUILDDIR    ?= _build
PDFNAME     := stage14-psychedelics-neuroplastic-renewal
# latexmk stops at the first LaTeX error instead of waiting for input.
export LATEXMKOPTS ?= -interaction=nonstopmode -halt-on-error -file-line-error
# Every build step runs with only the variables it needs (no secrets; TeX reads no file
# outside its folder): see scripts/clean-env.
CLEANENV    := bash scripts/clean-env

.PHONY: help setup book html pdf epub downloads scan test check serve new bench lighthouse pdf-tagged clean

help:
	@echo "make book   set up (virtualenv, TeX Live if missing), build HTML, PDF, EPUB"
	@echo "            and publish the downloads with the HTML"
	@echo "make html   HTML into $(BUILDDIR)/html"
	@echo "make pdf    PDF into $(BUILDDIR)/latex/$(PDFNAME).pdf"
	@echo "make epub   EPUB into $(BUILDDIR)/epub"
	@echo "make downloads  after html, pdf and epub: module PDF, a PDF per chapter"
	@echo "            and the EPUB into $(BUILDDIR)/html/downloads"
	@echo "make test   run the tests (sets up first if needed)"
	@echo "make check  check chapters without a full build"
	@echo "make scan   after a build: no scripts, handlers or unsafe links in what is published"
	@echo "make serve  live preview at http://127.0.0.1:8000"
	@echo "make new    start a chapter: make new TITLE='...' [KIND=concept] [ID=KS6]"
	@echo "make pdf-tagged  tagged-PDF variant (lualatex, \\DocumentMetadata) into $(BUILDDIR)/tagged;"
	@echo "            slow, not part of make book; see benchmarks/README.md"
	@echo "make bench  time builds against Jupyter Book 1 and bare Sphinx; writes benchmarks/RESULTS.md"
	@echo "make lighthouse  Lighthouse (mobile) on every chapter page; writes benchmarks/LIGHTHOUSE.md"
	@echo "make clean  remove $(BUILDDIR)"

setup:
	@bash scripts/setup.sh

# The downloads are cut from the PDF and copied into the HTML last, in this order.
book: setup html pdf epub
	@$(MAKE) --no-print-directory downloads
	@$(MAKE) --no-print-directory scan
	@echo "HTML:      $(BUILDDIR)/html/index.html"
	@echo "PDF:       $(BUILDDIR)/latex/$(PDFNAME).pdf"
	@echo "EPUB:      $(BUILDDIR)/epub/$(PDFNAME).epub"
	@echo "Downloads: $(BUILDDIR)/html/downloads/ (module PDF, a PDF per chapter, EPUB)"

html: setup
	$(CLEANENV) $(SPHINXBUILD) -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/html . $(BUILDDIR)/html

# If LaTeX fails, its errors are mapped from the .tex back to the chapter and line.
pdf: setup
	$(CLEANENV) $(SPHINXBUILD) -M latexpdf . $(BUILDDIR) $(SPHINXOPTS) \
	  || { PYTHONPATH=_ext $(PYTHON) -m textbook.safety.texlog $(BUILDDIR)/latex; exit 1; }

epub: setup
	$(CLEANENV) $(SPHINXBUILD) -b epub $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/epub . $(BUILDDIR)/epub

downloads: setup
	PYTHONPATH=_ext $(CLEANENV) $(PYTHON) -m textbook.publish.downloads --build $(BUILDDIR)

# The post-build safety scan of what is published (HTML, downloads, EPUB); see _ext/textbook/safety/scan.py.
scan: setup
	PYTHONPATH=_ext $(PYTHON) -m textbook.safety.scan $(BUILDDIR)

# A planted fake secret in the tests' environment: tests/safety/test_safety.py asserts no build publishes it.
test: setup
	TEXTBOOK_PLANTED_SECRET=TEXTBOOK-PLANTED-SECRET-5f1c0a $(PYTHON) -m pytest tests

check: setup
	PYTHONPATH=_ext $(PYTHON) -m textbook.tools.check

serve: setup
	$(PYTHON) -m sphinx_autobuild -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees/serve . $(BUILDDIR)/serve --watch _ext --port 8000

new: setup
	PYTHONPATH=_ext $(PYTHON) -m textbook.tools.new --id "$(ID)" --kind "$(or $(KIND),deep-dive)" --title "$(TITLE)"

# The tagged PDF, prepared for TeX Live 2024 or later and measured on 2022 (benchmarks/README.md):
# lualatex with \DocumentMetadata, from _templates/tagged-pdf/latex.tex.jinja. Not in `make book` or CI.
pdf-tagged: setup
	@kpsewhich luaotfload.sty >/dev/null || { echo "make pdf-tagged needs LuaLaTeX's font loader: apt-get install texlive-luatex" >&2; exit 1; }
	$(SPHINXBUILD) -M latexpdf . $(BUILDDIR)/tagged $(SPHINXOPTS) -D latex_engine=lualatex \
		-D templates_path=_templates/tagged-pdf,_templates

# BENCHOPTS, e.g. "--runs 5" or "--no-pdf"; see benchmarks/README.md.
bench: setup
	$(PYTHON) benchmarks/bench.py $(BENCHOPTS)

# Lighthouse 12.2.3 (npm, pinned in benchmarks/lighthouse/) with Debian's Chromium, on every
# chapter page served with gzip on 127.0.0.1. LIGHTHOUSEOPTS, e.g. "--runs 5"; not a test.
lighthouse: html
	$(PYTHON) benchmarks/lighthouse/run.py --html $(BUILDDIR)/html $(LIGHTHOUSEOPTS)

clean:
	rm -rf $(BUILDDIR)
