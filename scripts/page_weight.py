"""Weigh a built HTML page: the page plus every file it makes the browser fetch.

Usage: python scripts/page_weight.py [--budget KIB] PAGE.html [PAGE.html ...]

Counted: the HTML itself; <script src>, <link rel=stylesheet|preload|modulepreload|icon>,
<img src>, <source srcset>; and, inside each stylesheet, url(...) and @import targets
(fonts, images), followed recursively. Links to other pages (<a href>) are not counted;
source maps are not counted (a browser fetches them only with developer tools open).
Each file is counted once per page, raw and gzipped (level 6, what a web server sends).
A missing local file is an error; a reference to another host is reported and fails the
budget check, since the book must not load anything from third parties.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

FETCHED_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "shortcut icon"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag == "script" and attr.get("src"):
            self.found.append(attr["src"])
        elif tag == "link" and attr.get("rel", "").lower() in FETCHED_LINK_RELS:
            self.found.append(attr.get("href", ""))
        elif tag == "img" and attr.get("src"):
            self.found.append(attr["src"])
        elif tag == "source" and attr.get("srcset"):
            self.found.append(attr["srcset"].split()[0])


def _is_external(ref: str) -> bool:
    parts = urlsplit(ref)
    return bool(parts.scheme in {"http", "https"} or ref.startswith("//"))


def _local_path(ref: str, base: Path) -> Path | None:
    if ref.startswith("data:"):
        return None  # inlined: already counted in the file that holds it
    path = unquote(urlsplit(ref).path)
    return (base / path).resolve() if path else None


def weigh(page: Path) -> dict:
    """Return {'files': [(path, raw, gz)], 'external': [refs], 'missing': [refs]}."""
    seen: dict[Path, tuple[int, int]] = {}
    external: list[str] = []
    missing: list[str] = []

    def add(path: Path) -> bytes | None:
        if path in seen:
            return None
        data = path.read_bytes()
        seen[path] = (len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))
        return data

    html = page.read_bytes()
    add(page.resolve())
    parser = _References()
    parser.feed(html.decode("utf-8", "replace"))
    queue = [(ref, page.parent) for ref in parser.found]
    while queue:
        ref, base = queue.pop(0)
        if _is_external(ref):
            external.append(ref)
            continue
        path = _local_path(ref, base)
        if path is None:
            continue
        if not path.is_file():
            missing.append(ref)
            continue
        data = add(path)
        if data is not None and path.suffix == ".css":
            for match in CSS_URL.finditer(data.decode("utf-8", "replace")):
                queue.append((match.group(1) or match.group(2), path.parent))
    files = sorted(((p, raw, gz) for p, (raw, gz) in seen.items()), key=lambda f: -f[2])
    return {"files": files, "external": external, "missing": missing}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--budget", type=float, help="fail above this many KiB gzipped")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every file")
    args = parser.parse_args(argv)
    failed = False
    for page in args.pages:
        result = weigh(page)
        raw = sum(f[1] for f in result["files"]) / 1024
        gz = sum(f[2] for f in result["files"]) / 1024
        print(f"{page}: {len(result['files'])} files, {raw:.1f} KiB raw, {gz:.1f} KiB gzipped")
        if args.verbose:
            for path, fraw, fgz in result["files"]:
                print(f"  {fgz / 1024:8.1f} KiB gz {fraw / 1024:9.1f} KiB  {path}")
        for ref in result["external"]:
            print(f"  external (not allowed): {ref}")
        for ref in result["missing"]:
            print(f"  missing file: {ref}")
        if result["external"] or result["missing"]:
            failed = True
        if args.budget is not None and gz > args.budget:
            print(f"  over budget: {gz:.1f} KiB > {args.budget:.0f} KiB gzipped")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
