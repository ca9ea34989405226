"""The GitHub Actions workflows: both linters clean, actions pinned, writes only on main and tags;
the release number agrees across the tag, conf.py and CITATION.cff; the Pages address."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"})


def test_actionlint_finds_nothing():
    run = _run(str(BIN / "actionlint"), "-no-color", *map(str, WORKFLOWS))
    assert run.returncode == 0, run.stdout + run.stderr


def test_zizmor_finds_nothing():
    # Offline: the audits that need GitHub's API (are the pinned commits on a tag?) cannot run here.
    run = _run(str(BIN / "zizmor"), "--offline", "--no-progress", ".github")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No findings" in run.stdout + run.stderr


def _steps(workflow: dict):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, job, step


def test_every_action_is_pinned_to_a_commit_with_its_version():
    lines = [line.strip().removeprefix("- ").removeprefix("uses:").strip()
             for path in WORKFLOWS for line in path.read_text(encoding="utf-8").splitlines()
             if re.match(r"\s*(- )?uses:", line)]
    assert lines
    for line in lines:
        assert PINNED.match(line), f"not pinned to a full commit with a '# vX.Y.Z' comment: {line}"


def test_only_jobs_for_main_or_a_tag_can_write():
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert workflow["permissions"] == {}, f"{path.name}: workflow-wide permissions must be empty"
        for name, job in workflow["jobs"].items():
            granted = job.get("permissions", {})
            writes = [scope for scope, level in granted.items() if level == "write"]
            if writes:
                condition = job.get("if", "")
                assert "github.event_name == 'push'" in condition, (path.name, name, condition)
                assert "refs/heads/main" in condition or "refs/tags/v" in condition, (path.name, name)
            else:
                assert set(granted.values()) <= {"read"}, (path.name, name, granted)


def test_no_expression_is_pasted_into_a_shell_script():
    for path in WORKFLOWS:
        for name, _job, step in _steps(yaml.safe_load(path.read_text(encoding="utf-8"))):
            assert "${{" not in step.get("run", ""), f"{path.name}:{name}: pass values through env:"


def _check_release(tag: str, root: Path) -> subprocess.CompletedProcess:
    script = root / "scripts" / "check_release.py"
    return subprocess.run([sys.executable, str(script), tag], capture_output=True, text=True)


def test_release_tag_must_match_conf_and_citation(tmp_path):
    import runpy

    release = runpy.run_path(str(ROOT / "conf.py"))["release"]
    assert _check_release(f"v{release}", ROOT).returncode == 0
    wrong = _check_release("v1999.01", ROOT)
    assert wrong.returncode == 1
    assert f"tag 'v1999.01' does not match conf.py release '{release}'" in wrong.stderr

    copy = tmp_path / "repo"
    (copy / "scripts").mkdir(parents=True)
    for name in ("conf.py", "CITATION.cff", "scripts/check_release.py"):
        (copy / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    cff = copy / "CITATION.cff"
    cff.write_text(re.sub(r'^version: .*$', 'version: "0.0"', cff.read_text(), flags=re.M))
    stale = _check_release(f"v{release}", copy)
    assert stale.returncode == 1
    assert f"CITATION.cff version '0.0' does not match conf.py release '{release}'" in stale.stderr


def _pages_url(**env: str) -> str:
    clean = {key: value for key, value in os.environ.items() if key not in ("PAGES_URL", "GITHUB_REPOSITORY")}
    return subprocess.run(["sh", str(ROOT / "scripts" / "pages_url.sh")], capture_output=True, text=True,
                          check=True, env={**clean, **env}).stdout.strip()


def test_pages_address_comes_from_the_repository_or_the_variable():
    assert _pages_url(GITHUB_REPOSITORY="Open-Psych/stage14") == "https://open-psych.github.io/stage14/"
    assert _pages_url(GITHUB_REPOSITORY="Open-Psych/open-psych.github.io") == "https://open-psych.github.io/"
    assert _pages_url(GITHUB_REPOSITORY="a/b", PAGES_URL="https://book.example.org") == "https://book.example.org/"
