"""Lighthouse on every chapter page of the built site, served with gzip on 127.0.0.1.

Usage: .venv/bin/python benchmarks/lighthouse/run.py [--html _build/html] [--runs 3] [PAGE ...]
(`make lighthouse` runs it after `make html`). Lighthouse 12.2.3 comes from npm, pinned in
benchmarks/lighthouse/package-lock.json (`npm ci` there on first use); it drives Debian's
Chromium (CHROME_PATH, /usr/bin/chromium by default) in Lighthouse's mobile mode with
simulated throttling (slow 4G, 4x CPU slowdown). Each page's figures are the median of
--runs runs (by performance score). The table, with date and machine, goes to
benchmarks/LIGHTHOUSE.md; the raw reports to benchmarks/_work/lighthouse/.

Targets (issue 14): performance >= 0.95; accessibility, best practices and SEO = 1.00;
largest contentful paint <= 1.8 s. The exit status is 1 when a page misses one.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import http.server
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import bench  # noqa: E402  (benchmarks/bench.py: one description of the machine)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WORK = ROOT / "benchmarks" / "_work" / "lighthouse"
RESULTS = ROOT / "benchmarks" / "LIGHTHOUSE.md"
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
LCP_TARGET_MS = 1800
COMPRESSED = {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt", ".woff", ".ttf"}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text ones gzipped as a web server (GitHub Pages included) sends them."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        from io import BytesIO

        return BytesIO(body)


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)


def run_once(url: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
               "--form-factor=mobile", "--throttling-method=simulate"]
    subprocess.run(command, env=env, check=True, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {
        "scores": {name: report["categories"][name]["score"] for name in CATEGORIES},
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "si": audits["speed-index"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "failed": sorted(key for category in CATEGORIES
                         for ref in report["categories"][category]["auditRefs"]
                         if ref["weight"] and (audits[ref["id"]].get("score") is not None)
                         and audits[ref["id"]]["score"] < 1 and (key := f"{category}:{ref['id']}")),
    }


def chapter_pages(html: Path) -> list[str]:
    return [f"chapters/{path.name}" for path in sorted((html / "chapters").glob("*.html"))]


def machine() -> str:
    """The bench's description of the machine, with the browser, Lighthouse and the load."""
    chromium = subprocess.run([os.environ.get("CHROME_PATH", "/usr/bin/chromium"), "--version"],
                              capture_output=True, text=True).stdout.strip()
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{platform.node()}: {bench.machine()}; {chromium}; Lighthouse 12.2.3; load average {load}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("pages", nargs="*")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        print(f"lighthouse: no built site at {args.html}: run 'make html' first", file=sys.stderr)
        return 2
    ensure_lighthouse()
    pages = args.pages or chapter_pages(args.html)
    WORK.mkdir(parents=True, exist_ok=True)
    server, base = serve(args.html)
    rows, missed = [], []
    try:
        for page in pages:
            runs = []
            for number in range(args.runs):
                out = WORK / f"{page.replace('/', '-')}.{number}.json"
                runs.append(run_once(base + page, out))
            runs.sort(key=lambda run: (run["scores"]["performance"], -run["lcp"]))
            median = runs[len(runs) // 2]
            scores = median["scores"]
            misses = [name for name, goal in TARGETS.items() if (scores[name] or 0) < goal]
            if median["lcp"] > LCP_TARGET_MS:
                misses.append("LCP")
            if misses:
                missed.append((page, misses, median["failed"]))
            rows.append((page, median, misses))
            print(f"{page}: perf {scores['performance']:.2f} a11y {scores['accessibility']:.2f} "
                  f"bp {scores['best-practices']:.2f} seo {scores['seo']:.2f} "
                  f"FCP {median['fcp'] / 1000:.2f} s LCP {median['lcp'] / 1000:.2f} s "
                  f"SI {median['si'] / 1000:.2f} s TBT {median['tbt']:.0f} ms CLS {median['cls']:.3f}"
                  + (f"  MISSED {', '.join(misses)} ({', '.join(median['failed'])})" if misses else ""),
                  flush=True)
    finally:
        server.shutdown()
    write_results(rows, args.runs)
    print(f"lighthouse: {len(rows) - len(missed)} of {len(rows)} pages meet every target; "
          f"table in {RESULTS.relative_to(ROOT)}")
    return 1 if missed else 0


def write_results(rows, runs: int) -> None:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Lighthouse results", "",
        "Written by `make lighthouse` (benchmarks/lighthouse/run.py): every chapter page of",
        "`_build/html`, served with gzip on 127.0.0.1, Lighthouse in mobile mode with simulated",
        f"throttling (slow 4G, 4x CPU slowdown); each row the median of {runs} runs.", "",
        f"- date: {now}", f"- machine: {machine()}", "",
        "Targets: performance ≥ 0.95; accessibility, best practices and SEO 1.00; LCP ≤ 1.8 s.", "",
        "| page | performance | accessibility | best practices | SEO | FCP | LCP | speed index | TBT | CLS | met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for page, run, misses in rows:
        scores = run["scores"]
        lines.append(
            f"| {page} | {scores['performance']:.2f} | {scores['accessibility']:.2f} | "
            f"{scores['best-practices']:.2f} | {scores['seo']:.2f} | {run['fcp'] / 1000:.2f} s | "
            f"{run['lcp'] / 1000:.2f} s | {run['si'] / 1000:.2f} s | {run['tbt']:.0f} ms | "
            f"{run['cls']:.3f} | {'yes' if not misses else 'no: ' + ', '.join(misses)} |")
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    shutil.which("node") or sys.exit("lighthouse: Node.js is needed (Debian's nodejs package)")
    sys.exit(main(sys.argv[1:]))
