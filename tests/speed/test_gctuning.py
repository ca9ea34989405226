"""Garbage-collector tuning applies to sphinx-build processes only (textbook.speed.gctuning)."""

import gc
import subprocess
import sys

from conftest import ROOT, TINY_BIB, TINY_CONF, lesson
from textbook.speed import gctuning


def test_a_library_build_leaves_the_collector_alone(project):
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    assert not gctuning.is_command_line_build()
    project.build({"ch.md": lesson(), "other.md": "# Other\n\nText.\n"}, parallel=2)
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == frozen


def test_a_command_line_build_collects_less_often_and_freezes_before_exit(tmp_path):
    # Run sphinx.cmd.build's main as `python -m sphinx` does, then report the collector's state.
    probe = (
        "import gc, runpy, sys\n"
        "sys.argv = ['sphinx', '-b', 'html', '-q', sys.argv[1], sys.argv[2]]\n"
        "try:\n"
        "    runpy.run_module('sphinx', run_name='__main__', alter_sys=True)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 0)\n"
    )
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(f"import sys\nsys.path.insert(0, {str(ROOT / '_ext')!r})\n" + TINY_CONF)
    (source / "refs.bib").write_text(TINY_BIB)
    (source / "index.md").write_text("# Book\n\nText.\n")
    run = subprocess.run([sys.executable, "-c", probe, str(source), str(tmp_path / "out")],
                         capture_output=True, text=True, check=True)
    assert run.stdout.split() == [str(gctuning.BUILD_THRESHOLDS[0]), "True"], run.stderr
