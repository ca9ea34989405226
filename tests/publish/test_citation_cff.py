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
