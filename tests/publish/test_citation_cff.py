"""CITATION.cff: readers can cite the module; its version is the book's release."""

import datetime as dt
import runpy

import yaml

from conftest import ROOT


def test_citation_file_has_the_required_keys_and_the_release():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    conf = runpy.run_path(str(ROOT / "conf.py"))
    # the keys CFF 1.2.0 requires, and those a reader of the citation needs
    for key in ("cff-version", "message", "title", "authors", "version", "date-released", "type",
                "abstract", "keywords", "license"):
        assert citation.get(key), f"CITATION.cff: '{key}' is missing or empty"
    assert citation["cff-version"] == "1.2.0"
    assert citation["version"] == conf["release"]
    assert citation["title"] == conf["project"]
    assert [author.get("name") for author in citation["authors"]] == [conf["author"]]
    dt.date.fromisoformat(str(citation["date-released"]))
    assert citation["type"] in ("software", "dataset")


def test_the_errata_page_describes_the_current_release():
    conf = runpy.run_path(str(ROOT / "conf.py"))
    opening = (ROOT / "errata.md").read_text(encoding="utf-8").split("\n\n")[1]
    assert f"release {conf['release']}" in opening.replace("*", ""), (
        "errata.md: its opening paragraph should name this release (conf.py `release`) "
        "and list what changed since the one before")
