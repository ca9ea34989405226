"""A toctree parent is rewritten only when what it shows of a child changed (textbook.speed.toctreeparents)."""

from pathlib import Path

CHILD = "# First Title\n\n## A section\n\nSome text.\n"
PAGES = ("index", "child", "other")


def _stamps(project) -> dict[str, int]:
    return {name: Path(project.app.outdir, f"{name}.html").stat().st_mtime_ns for name in PAGES}


def _rebuilt(project, before: dict[str, int]) -> set[str]:
    after = _stamps(project)
    return {name for name in PAGES if after[name] != before[name]}


def test_a_text_edit_leaves_the_parent_alone_and_a_title_edit_rewrites_it(project):
    project.build({"child.md": CHILD, "other.md": "# Other\n\nText.\n"})
    stamps = _stamps(project)

    (project.path / "child.md").write_text(CHILD + "\nOne more sentence.\n")
    project.rebuild()
    assert _rebuilt(project, stamps) == {"child"}
    assert project.warnings() == ""
    stamps = _stamps(project)

    (project.path / "child.md").write_text(CHILD.replace("First Title", "Second Title"))
    project.rebuild()
    assert _rebuilt(project, stamps) == {"child", "index"}
    assert "Second Title" in project.output("index.html")
    stamps = _stamps(project)

    (project.path / "child.md").write_text(CHILD.replace("First Title", "Second Title") + "\n## New section\n")
    project.rebuild()
    assert _rebuilt(project, stamps) == {"child", "index"}
    # The full map is back once the build ends: the environment still knows the parent.
    assert project.app.env.files_to_rebuild["child"] == {"index"}
