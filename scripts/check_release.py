"""Check that a release tag, conf.py's `release` and CITATION.cff's `version` agree.

Usage: python scripts/check_release.py v2026.12      (the tag; CI passes $GITHUB_REF_NAME)
The release number lives in one place, conf.py; CITATION.cff and the tag must match it.
Exit status 1 with one line per disagreement.
"""

from __future__ import annotations

import re
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def problems(tag: str, root: Path = ROOT) -> list[str]:
    release = runpy.run_path(str(root / "conf.py"))["release"]
    cff = (root / "CITATION.cff").read_text(encoding="utf-8")
    version = re.search(r'^version:\s*"?([^"\n]+)"?\s*$', cff, re.MULTILINE)
    found = []
    if not re.fullmatch(r"v\d[\w.-]*", tag):
        found.append(f"tag {tag!r} is not a release tag (v followed by the release, e.g. v{release})")
    elif tag[1:] != release:
        found.append(f"tag {tag!r} does not match conf.py release {release!r} (expected v{release})")
    if version is None:
        found.append("CITATION.cff has no version line")
    elif version.group(1) != release:
        found.append(f"CITATION.cff version {version.group(1)!r} does not match conf.py release {release!r}")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    found = problems(argv[0])
    for problem in found:
        print(f"release: error: {problem}", file=sys.stderr)
    if not found:
        print(f"release: {argv[0]} matches conf.py and CITATION.cff")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
