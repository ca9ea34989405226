#!/bin/sh
# The GitHub Pages address of this repository, for html_baseurl (TEXTBOOK_BASEURL):
# PAGES_URL when set (a custom domain, from the repository variable of that name),
# else https://<owner>.github.io/<repository>/ (https://<owner>.github.io/ for a user site).
set -eu
if [ -n "${PAGES_URL:-}" ]; then
  case "$PAGES_URL" in */) echo "$PAGES_URL" ;; *) echo "$PAGES_URL/" ;; esac
  exit 0
fi
owner=$(printf '%s' "${GITHUB_REPOSITORY%%/*}" | tr 'A-Z' 'a-z')
repository=${GITHUB_REPOSITORY#*/}
if [ "$(printf '%s' "$repository" | tr 'A-Z' 'a-z')" = "$owner.github.io" ]; then
  echo "https://$owner.github.io/"
else
  echo "https://$owner.github.io/$repository/"
fi
