#!/usr/bin/env bash
# Set up everything the book needs on a Debian/Ubuntu machine, idempotently:
#   1. the Debian packages: TeX Live for the PDF, poppler-utils for the PDF tests,
#      librsvg2-bin (rsvg-convert: SVG figures become PDF for LaTeX),
#      Chromium for the browser tests (Playwright drives Debian's build; it downloads
#      no browser of its own) and epubcheck for the EPUB;
#   2. a virtual environment in .venv with requirements.txt installed;
#   3. Ace by DAISY, the EPUB accessibility checker the tests run, into node_modules/
#      (git ignores it) from package.json and package-lock.json, when Node.js 20+ is there.
# Called by `make setup` (README command 1) and by `make test` when .venv is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Debian packages the builds and tests use. Fonts: TeX Gyre (text), DejaVu (code).
DEB_PACKAGES="latexmk texlive-xetex texlive-latex-recommended texlive-latex-extra \
texlive-fonts-recommended fonts-texgyre fonts-dejavu-core tex-gyre xindy poppler-utils \
chromium epubcheck librsvg2-bin"

missing_tools() {
  for tool in latexmk xelatex pdftotext kpsewhich chromium epubcheck rsvg-convert; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool"; return; }
  done
  kpsewhich tcolorbox.sty >/dev/null 2>&1 || { echo tcolorbox.sty; return; }
  # (not `fc-list | grep -q`: under pipefail an early grep exit fails the pipe)
  case "$(fc-list 2>/dev/null)" in *"TeX Gyre Pagella"*) ;; *) echo "TeX Gyre fonts" ;; esac
}

# Root installs directly; a user with password-less sudo (as on CI runners) through sudo.
as_root=""
[ "$(id -u)" = 0 ] || { sudo -n true 2>/dev/null && as_root="sudo -n"; }

if [ -n "$(missing_tools)" ]; then
  if { [ "$(id -u)" = 0 ] || [ -n "$as_root" ]; } && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing TeX Live, Chromium and tools from Debian's packages (a few minutes, once)"
    $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086
    $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $DEB_PACKAGES >/dev/null
  else
    echo "setup: missing $(missing_tools). Install the Debian packages first, as root:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $DEB_PACKAGES" >&2
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# Reinstall only when requirements.txt changed since the last install.
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

# Ace by DAISY 1.4.6 needs Node.js 20 or later (Debian 12 packages 18: use NodeSource's
# nodejs or nodejs.org). --ignore-scripts: its packages' install scripts download a browser
# of their own, which cannot work here; the tests point it at Debian's Chromium.
# Reinstall only when package.json or package-lock.json changed since the last install.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -ge 20 ] && command -v npm >/dev/null 2>&1; then
  stamp=node_modules/.package-lock.sha256
  want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
else
  echo "setup: Node.js 20 or later with npm not found: the EPUB accessibility test (Ace by DAISY) will be skipped" >&2
fi
echo "setup: ready (.venv, TeX Live, Chromium, epubcheck, Ace by DAISY)"
