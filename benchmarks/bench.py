"""Time the book's builds against Jupyter Book 1 and bare Sphinx + MyST, side by side.

One command, from the repository root:  make bench   (or: .venv/bin/python benchmarks/bench.py)

It generates a synthetic book of N chapters (benchmarks/synthetic.py) three ways,
creates a virtual environment with Jupyter Book 1 (pinned in benchmarks/requirements-jb1.txt)
and installs Debian's FreeSerif font for its PDF on first use, and times, in
one run with the systems interleaved (ABCABC, so load from other processes hits
all three alike), the median of several runs of:

- full HTML (from an empty build directory), no-op HTML (nothing changed),
  incremental HTML (one chapter's text edited);
- PDF from an empty build directory (ours: xelatex through latexmk, the
  Makefile's path; Jupyter Book 1 and bare Sphinx: pdflatex);
- our book at 200 chapters against 10 (with and without ``-j auto``);
- the page weight of the real module's chapter page (scripts/page_weight.py).

It prints each ratio against its target and writes benchmarks/RESULTS.md.
Everything it generates goes to benchmarks/_build/ (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402  (beside this file)

ROOT = synthetic.ROOT
WORK = ROOT / "benchmarks" / "_build"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
JB1_VENV = WORK / "venv-jb1"
#: Jupyter Book 1, pinned with all it pulls in (the last 1.x release); a change re-installs it.
JB1_REQUIREMENTS = ROOT / "benchmarks" / "requirements-jb1.txt"
#: Jupyter Book 1's PDF (sphinx-jupyterbook-latex) sets its text in FreeSerif.
FREEFONT_PACKAGE = "fonts-freefont-otf"
PAGE = "chapters/l14-4-ketamine-beyond-trd.html"  # the real module's chapter page
EDITED_CHAPTER = 3  # the chapter the incremental build edits
BUILD_TIMEOUT = 1200  # seconds; no build here should come near it

#: The targets: ratios measured in one run, and the page weight in KiB. Full HTML and
#: incremental were tightened with the evidence figures (0.6 -> 0.5, 1.5 -> 1.0).
TARGETS = {
    "full": 0.5,          # full HTML, ours / Jupyter Book 1
    "incremental": 1.0,   # our incremental / bare Sphinx no-op
    "pdf": 0.6,           # our PDF / Jupyter Book 1's PDF
    "page_kib": 200.0,    # gzipped KiB of the real chapter page and all it fetches
    "scale": 20.0,        # 200 chapters / 10 chapters, full HTML
    "jobs": 1.0,          # 200 chapters: -j auto / -j 1 (below 1: parallel helps)
}


def makefile_value(name: str) -> str:
    """A variable's default in the Makefile, so the benchmark builds the way `make` does."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^(?:export\s+)?{name}\s*\??=\s*(.*)$", text, flags=re.MULTILINE)
    return match.group(1).strip() if match else ""


def without_jobs(options: list[str]) -> list[str]:
    out, skip = [], False
    for option in options:
        if skip:
            skip = False
        elif option in ("-j", "--jobs"):
            skip = True
        elif not re.match(r"^(-j\S+|--jobs=\S+)$", option):
            out.append(option)
    return out


@dataclass
class System:
    """One way of building the synthetic book."""

    key: str
    label: str
    src: Path
    html_cmd: list[str]
    html_dirs: list[Path]  # removed before a full build
    pdf_cmd: list[str]
    pdf_dirs: list[Path]  # removed before a PDF build
    pdf_out: Path  # where the PDF lands
    engine: str
    env: dict[str, str] = field(default_factory=dict)
    times: dict[str, list[float]] = field(default_factory=dict)
    latex_runs: int = 0  # LaTeX passes latexmk made for the PDF

    def run(self, cmd: list[str], log: Path) -> float:
        env = {**os.environ, **self.env}
        # Python caches compiled modules as a user's machine does: with this variable set
        # (some sandboxes set it), the book's own extension (_ext/, part of its source,
        # like conf.py) was compiled again by every build, while the libraries all three
        # systems import come precompiled from their installers.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        start = time.perf_counter()
        with log.open("w", encoding="utf-8") as out:
            # Its own process group, so a hung build (e.g. a crashed parallel
            # worker) can be stopped with everything it started.
            process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                       start_new_session=True)
            try:
                returncode = process.wait(timeout=BUILD_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait()
                sys.exit(f"bench: {self.label} took over {BUILD_TIMEOUT} s; stopped; see {log}")
        elapsed = time.perf_counter() - start
        if returncode != 0:
            sys.exit(f"bench: {self.label} failed ({shlex.join(map(str, cmd))}); see {log}")
        return elapsed

    def note(self, phase: str, seconds: float) -> None:
        self.times.setdefault(phase, []).append(seconds)
        print(f"  {self.label:<22} {phase:<12} {seconds:6.2f} s", flush=True)

    def median(self, phase: str) -> float | None:
        values = self.times.get(phase)
        return statistics.median(values) if values else None


#: Jupyter Book 1's LaTeX class loads bbm.sty (blackboard-bold math letters), which
#: Debian ships only in the 1.4 GB texlive-fonts-extra. Where it is missing, the
#: benchmark lends it this stand-in (same cost: one math alphabet), so Jupyter Book
#: builds its PDF with its default class, as its users get it.
BBM_STAND_IN = r"""% Stand-in for bbm.sty (bbm-macros), lent by benchmarks/bench.py.
\ProvidesPackage{bbm}[2026/01/01 stand-in]
\RequirePackage{amssymb}
\providecommand{\mathbbm}[1]{\mathbb{#1}}
\endinput
"""


def jb1_tex_env() -> tuple[dict[str, str], bool]:
    """Environment for Jupyter Book 1's LaTeX runs, and whether the stand-in was needed."""
    found = shutil.which("kpsewhich") and subprocess.run(
        ["kpsewhich", "bbm.sty"], capture_output=True, text=True).stdout.strip()
    if found:
        return {}, False
    texinputs = WORK / "texinputs"
    texinputs.mkdir(parents=True, exist_ok=True)
    (texinputs / "bbm.sty").write_text(BBM_STAND_IN, encoding="utf-8")
    return {"TEXINPUTS": f"{texinputs}:{os.environ.get('TEXINPUTS', '')}"}, True


def ensure_jb1() -> Path:
    """Jupyter Book 1 in its own virtual environment, installed from the pinned list when it changed."""
    binary = JB1_VENV / "bin" / "jupyter-book"
    stamp = JB1_VENV / ".requirements.sha256"
    want = hashlib.sha256(JB1_REQUIREMENTS.read_bytes()).hexdigest()
    if not binary.exists() or not stamp.exists() or stamp.read_text().strip() != want:
        print(f"bench: installing Jupyter Book 1 into {JB1_VENV.relative_to(ROOT)} "
              f"from {JB1_REQUIREMENTS.relative_to(ROOT)} (once)", flush=True)
        if not (JB1_VENV / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(JB1_VENV)], check=True)
        subprocess.run([str(JB1_VENV / "bin" / "python"), "-m", "pip", "install", "-q",
                        "--disable-pip-version-check", "-r", str(JB1_REQUIREMENTS)], check=True)
        stamp.write_text(want)
    return binary


def ensure_freefont() -> None:
    """FreeSerif for Jupyter Book 1's PDF, from Debian's package, as scripts/setup.sh installs TeX Live."""
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    if "FreeSerif" in fonts:
        return
    as_root = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if shutil.which("apt-get") and (not as_root or subprocess.run(
            ["sudo", "-n", "true"], capture_output=True).returncode == 0):
        print(f"bench: installing {FREEFONT_PACKAGE} (FreeSerif, for Jupyter Book 1's PDF; once)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([*as_root, "apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run([*as_root, "apt-get", "install", "-y", "-qq", "--no-install-recommends", FREEFONT_PACKAGE],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        return
    raise SystemExit(f"bench: Jupyter Book 1's PDF needs FreeSerif: as root, "
                     f"apt-get install -y {FREEFONT_PACKAGE} (or run with --no-pdf)")


def systems(book: dict[str, Path], out: Path, jb1: Path, jb1_env: dict[str, str]) -> list[System]:
    python = [sys.executable, "-m", "sphinx"]
    options = shlex.split(makefile_value("SPHINXOPTS"))
    latexmk = {"LATEXMKOPTS": makefile_value("LATEXMKOPTS")}
    ours, bare, jb = book["textbook"], book["bare"], book["jb1"]
    return [
        System("textbook", "this textbook", ours,
               [*python, "-b", "html", *options, "-q", "-d", str(out / "textbook/doctrees/html"),
                str(ours), str(out / "textbook/html")],
               [out / "textbook"],
               [*python, "-M", "latexpdf", str(ours), str(out / "textbook-pdf"), *options, "-q"],
               [out / "textbook-pdf"], out / "textbook-pdf/latex",
               f"{_latex_engine()}, latexmk", env=latexmk),
        System("jb1", "Jupyter Book 1", jb,
               [str(jb1), "build", "-q", str(jb)], [jb / "_build"],
               [str(jb1), "build", "-q", "--builder", "pdflatex", str(jb)], [jb / "_build"],
               jb / "_build/latex", "pdflatex", env=jb1_env),
        System("bare", "bare Sphinx + MyST", bare,
               [*python, "-b", "html", "-n", "-W", "--keep-going", "-q",
                "-d", str(out / "bare/doctrees/html"), str(bare), str(out / "bare/html")],
               [out / "bare"],
               [*python, "-M", "latexpdf", str(bare), str(out / "bare-pdf"), "-n", "-W", "--keep-going", "-q"],
               [out / "bare-pdf"], out / "bare-pdf/latex", "pdflatex"),
    ]


def _latex_engine() -> str:
    match = re.search(r'^latex_engine\s*=\s*"(\w+)"', (ROOT / "conf.py").read_text(encoding="utf-8"),
                      flags=re.MULTILINE)
    return match.group(1) if match else "pdflatex"


def clean(paths: list[Path]) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def warm_up(chosen: list[System], pdf: bool, logs: Path) -> None:
    """Build once, untimed, so that first-run costs are in no measurement.

    Ours draws its evidence figures into their cache (SVG for the HTML, PDF for LaTeX,
    in the source folder, like a notebook execution cache) and Python writes the
    bytecode of its extension; without this, the first "full" run drew every figure and
    the median of three was the slower of the other two.
    """
    print("Warming up (untimed): one HTML build of each system", flush=True)
    for system in chosen:
        clean(system.html_dirs)
        system.run(system.html_cmd, logs / f"{system.key}-warm-up.log")
        if pdf and system.key == "textbook":
            latex = [*system.html_cmd]
            latex[latex.index("html")] = "latex"  # -b latex: draws the figures' PDF versions
            out = system.html_dirs[0] / "warm-up-latex"
            latex[-1], latex[latex.index("-d") + 1] = str(out), str(out / "doctrees")
            system.run(latex, logs / f"{system.key}-warm-up-latex.log")
            clean([out])


def time_html(chosen: list[System], runs: int, logs: Path) -> None:
    for run in range(1, runs + 1):
        print(f"HTML, run {run} of {runs}", flush=True)
        for phase in ("full", "noop", "incremental"):
            for system in chosen:  # interleaved: A B C, A B C
                if phase == "full":
                    clean(system.html_dirs)
                elif phase == "incremental":
                    synthetic.edit(system.src / chapter_path(system.src), run)
                system.note(phase, system.run(system.html_cmd, logs / f"{system.key}-{phase}-{run}.log"))


def chapter_path(src: Path) -> str:
    return next(p.relative_to(src).as_posix()
                for p in sorted((src / "chapters").glob(f"l14-{EDITED_CHAPTER}-*.md")))


def time_pdf(chosen: list[System], runs: int, logs: Path) -> None:
    for run in range(1, runs + 1):
        print(f"PDF, run {run} of {runs}", flush=True)
        for system in chosen:
            clean(system.pdf_dirs)
            log = logs / f"{system.key}-pdf-{run}.log"
            system.note("pdf", system.run(system.pdf_cmd, log))
            passes = re.findall(r"Run number (\d+) of rule '(?:pdf|xe|lua)?latex'", log.read_text(errors="replace"))
            system.latex_runs = max(map(int, passes), default=0)
            if not any(system.pdf_out.glob("*.pdf")):
                sys.exit(f"bench: {system.label} made no PDF; see {logs}")


def time_scale(chapters: int, runs: int, logs: Path) -> dict[str, float]:
    """Our book at ``chapters`` chapters: full HTML as `make` builds it, and -j 1 against -j auto."""
    print(f"Scale: {chapters} chapters", flush=True)
    book = synthetic.generate(chapters, WORK / "books" / str(chapters))
    out = WORK / "out" / str(chapters)
    options = shlex.split(makefile_value("SPHINXOPTS"))
    variants = {"make": options, "j1": [*without_jobs(options), "-j", "1"],
                "jauto": [*without_jobs(options), "-j", "auto"]}
    if any(re.match(r"^(-j|--jobs)", o) for o in options):
        del variants["make"]  # the Makefile already names its -j: it is one of the two below
    times: dict[str, list[float]] = {}
    for run in range(1, runs + 1):
        for name, opts in variants.items():
            clean([out])
            cmd = [sys.executable, "-m", "sphinx", "-b", "html", *opts, "-q",
                   "-d", str(out / "doctrees"), str(book["textbook"]), str(out / "html")]
            label = {"make": "as make html", "j1": "-j 1", "jauto": "-j auto"}[name]
            system = System(f"scale-{name}", f"ours x{chapters}, {label}",
                            book["textbook"], cmd, [out], [], [], out, "")
            seconds = system.run(cmd, logs / f"scale-{name}-{run}.log")
            system.note("full", seconds)
            times.setdefault(name, []).append(seconds)
            if name == "j1" and run == 1:
                synthetic.edit(book["textbook"] / chapter_path(book["textbook"]), run)
                seconds = system.run(cmd, logs / f"scale-{name}-incremental.log")
                system.note("incremental", seconds)
                times.setdefault("incremental", []).append(seconds)
    result = {name: statistics.median(values) for name, values in times.items()}
    if "make" not in result:
        made = "jauto" if any("auto" in o for o in options) else "j1"
        result["make"] = result[made]
    return result


def page_weight(logs: Path) -> tuple[float, float]:
    """Build the real module (as `make html` does) and weigh its chapter page."""
    print("Page weight: building the real module", flush=True)
    out = WORK / "out" / "real"
    clean([out])
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", *shlex.split(makefile_value("SPHINXOPTS")), "-q",
           "-d", str(out / "doctrees"), str(ROOT), str(out / "html")]
    system = System("real", "real module", ROOT, cmd, [out], [], [], out, "")
    seconds = system.run(cmd, logs / "real-html.log")
    system.note("full", seconds)
    weigh = subprocess.run([sys.executable, str(ROOT / "scripts" / "page_weight.py"), str(out / "html" / PAGE)],
                           capture_output=True, text=True)
    match = re.search(r"([\d.]+) KiB gzipped", weigh.stdout)
    if not match:
        sys.exit(f"bench: page_weight.py gave no figure:\n{weigh.stdout}{weigh.stderr}")
    print(f"  {weigh.stdout.strip()}")
    return float(match.group(1)), seconds


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}")


def versions(jb1: Path | None) -> str:
    def version(python: str, module: str) -> str:
        done = subprocess.run([python, "-c", f"import importlib.metadata as m; print(m.version('{module}'))"],
                              capture_output=True, text=True)
        return done.stdout.strip() or "?"

    ours = ", ".join(f"{m} {version(sys.executable, m)}" for m in
                     ("sphinx", "myst-parser", "sphinx-book-theme", "sphinxcontrib-bibtex"))
    text = f"ours: {ours}"
    if jb1:
        text += f"; Jupyter Book {version(str(jb1.parent / 'python'), 'jupyter-book')} " \
                f"(Sphinx {version(str(jb1.parent / 'python'), 'sphinx')})"
    return text


def ratio_row(name: str, value: float | None, target: float, unit: str = "x") -> tuple[str, str, str, str]:
    if value is None:
        return name, "not measured", f"≤ {target:g}{unit}", "–"
    shown = f"{value:.1f} KiB" if unit == " KiB" else f"{value:.2f}x"
    ok = value <= target if name != "-j auto / -j 1, 200 chapters" else value < target
    goal = f"< {target:g}x" if name.startswith("-j auto") else f"≤ {target:g}{unit}"
    return name, shown, goal, "yes" if ok else "**no**"


def report(args, chosen: list[System], scale: dict[str, float] | None, weight: tuple[float, float] | None,
           loads: tuple[tuple[float, ...], tuple[float, ...]], jb1: Path | None, words: int,
           bbm_lent: bool) -> str:
    by_key = {s.key: s for s in chosen}

    def m(key: str, phase: str) -> float | None:
        return by_key[key].median(phase) if key in by_key else None

    def div(a: float | None, b: float | None) -> float | None:
        return a / b if a is not None and b else None

    rows = [
        ("full HTML", "full"), ("incremental HTML (one chapter edited)", "incremental"),
        ("no-op HTML", "noop"), ("PDF, from empty", "pdf"),
    ]
    header = "| build | " + " | ".join(s.label for s in chosen) + " |\n|---|" + "---:|" * len(chosen) + "\n"
    table = header
    for label, phase in rows:
        cells = []
        for s in chosen:
            value = s.median(phase)
            engine = f" ({s.engine}, {s.latex_runs} passes)" if phase == "pdf" and value is not None else ""
            cells.append(f"{value:.2f} s{engine}" if value is not None else "–")
        table += f"| {label} | " + " | ".join(cells) + " |\n"

    targets = [
        ratio_row("full HTML: ours / Jupyter Book 1", div(m("textbook", "full"), m("jb1", "full")), TARGETS["full"]),
        ratio_row("incremental: ours / bare Sphinx no-op",
                  div(m("textbook", "incremental"), m("bare", "noop")), TARGETS["incremental"]),
        ratio_row("PDF: ours / Jupyter Book 1", div(m("textbook", "pdf"), m("jb1", "pdf")), TARGETS["pdf"]),
        ratio_row("real chapter page, gzipped", weight[0] if weight else None, TARGETS["page_kib"], " KiB"),
        ratio_row(f"full HTML, {args.scale} / {args.chapters} chapters",
                  div(scale["make"], m("textbook", "full")) if scale else None, TARGETS["scale"]),
        ratio_row(f"-j auto / -j 1, {args.scale} chapters",
                  div(scale["jauto"], scale["j1"]) if scale else None, TARGETS["jobs"]),
    ]
    target_table = "| target | measured | goal | met |\n|---|---:|---:|:---:|\n"
    target_table += "".join(f"| {a} | {b} | {c} | {d} |\n" for a, b, c, d in targets)

    busy = max(loads[0][0], loads[1][0]) > 0.5
    load_note = (f"Load average (1, 5, 15 min) at start {', '.join(f'{x:.2f}' for x in loads[0])}; "
                 f"at end {', '.join(f'{x:.2f}' for x in loads[1])}.")
    if busy:
        load_note += (" **Taken under load** from other processes: absolute times are inflated; "
                      "the ratios are fairer, since the systems ran interleaved.")
    extra = []
    if scale:
        extra.append(f"- {args.scale} chapters, ours: full HTML {scale['make']:.1f} s as `make html` builds; "
                     f"-j 1 {scale['j1']:.1f} s; -j auto {scale['jauto']:.1f} s; "
                     f"incremental (one chapter edited, -j 1) {scale['incremental']:.2f} s.")
    if weight:
        extra.append(f"- Real module: full HTML {weight[1]:.2f} s (one run); "
                     f"`{PAGE}` weighs {weight[0]:.1f} KiB gzipped with all it fetches.")
    if jb1 and not args.no_pdf:
        extra.append("- Jupyter Book 1's PDF: its default LaTeX class (sphinx-jupyterbook-latex)"
                     + ("; its bbm.sty, missing from this TeX Live, was lent as a "
                                        "one-line stand-in (benchmarks/bench.py)." if bbm_lent else "."))
    opts = makefile_value("SPHINXOPTS")
    return f"""# Build benchmark results

Written by `benchmarks/bench.py` (`make bench`); see benchmarks/README.md.

- Date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}
- Machine: {machine()}
- Versions: {versions(jb1)}
- Book: {args.chapters} synthetic chapters, {words:,} words, {synthetic.CITATIONS_PER_CHAPTER} citations
  and two figures a chapter (ours draws one from evidence records; its figure cache, like a
  notebook execution cache, stays warm across "full" builds); median of {args.runs} runs, systems interleaved.
  Ours builds with the Makefile's options (`{opts}`).
- {load_note}

## Times (median)

{table}
## Targets

{target_table}
{chr(10).join(extra)}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=10, help="chapters in the synthetic book (default 10)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is kept (default 3)")
    parser.add_argument("--scale", type=int, default=200, help="chapters for the scale test; 0 skips it (default 200)")
    parser.add_argument("--scale-runs", type=int, default=3, help="runs at that size; the median is kept (default 3)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF builds")
    parser.add_argument("--no-jb1", action="store_true", help="skip Jupyter Book 1 (no virtual environment made)")
    parser.add_argument("--no-page-weight", action="store_true", help="skip the real module's page weight")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where the table goes (default %(default)s)")
    args = parser.parse_args(argv)

    loads_start = os.getloadavg()
    jb1 = None if args.no_jb1 else ensure_jb1()
    if jb1 and not args.no_pdf:
        ensure_freefont()
    jb1_env, bbm_lent = jb1_tex_env()
    book = synthetic.generate(args.chapters, WORK / "books" / str(args.chapters))
    words = sum(len(re.findall(r"\S+", p.read_text(encoding="utf-8")))
                for p in (book["textbook"] / "chapters").glob("*.md"))
    out = WORK / "out" / str(args.chapters)
    logs = WORK / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    chosen = [s for s in systems(book, out, jb1 or Path("jupyter-book"), jb1_env)
              if not (s.key == "jb1" and jb1 is None)]
    print(f"bench: {args.chapters} chapters, {words:,} words; {args.runs} runs; logs in {logs.relative_to(ROOT)}")

    warm_up(chosen, not args.no_pdf, logs)
    time_html(chosen, args.runs, logs)
    if not args.no_pdf:
        time_pdf(chosen, args.runs, logs)
    scale = time_scale(args.scale, args.scale_runs, logs) if args.scale else None
    weight = None if args.no_page_weight else page_weight(logs)

    text = report(args, chosen, scale, weight, (loads_start, os.getloadavg()), jb1, words, bbm_lent)
    args.output.write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"bench: wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
