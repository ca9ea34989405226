"""Parallel builds (-j): each reader's lessons and anchors are merged into one domain."""

from conftest import TinyProject, lesson

KEYS = "# Key points\n\n:::{key-points}\n:::\n"


def test_parallel_build_writes_what_a_serial_build_writes(project, tmp_path):
    files = {f"l{n}.md": lesson(lesson_id=f"L14.{n}", concept=n, title=f"Lesson {n}") for n in range(1, 6)}
    files["keys.md"] = KEYS
    project.build(files)
    parallel = TinyProject(tmp_path / "parallel")
    parallel.build(files, parallel=2)
    assert parallel.warnings() == ""
    assert parallel.output("keys.html").count('class="key-point-title"') == 5
    assert parallel.output("keys.html") == project.output("keys.html")
    assert parallel.output("l3.html") == project.output("l3.html")
