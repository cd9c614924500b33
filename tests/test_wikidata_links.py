"""An actor's `links.wikidata` must be a Wikidata item id (`Q` and digits): it becomes the
`sameAs` of the actor's structured data and a link on its page, so a wrong form is an error
at its place, with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import where

from generator.records.validate import validate_archive

ACTOR = "actors/ivan-petrov.yml"


def _with_wikidata(repo: Path, value: str) -> Path:
    path = repo / "content" / ACTOR
    text = path.read_text(encoding="utf-8")
    assert "links:\n" in text
    path.write_text(text.replace("links:\n", f"links:\n  wikidata: {value}\n", 1), "utf-8")
    return path


@pytest.mark.parametrize(
    "value", ["q7747", "Q07747", "7747", "Q7747x", "https://www.wikidata.org/wiki/Q7747"]
)
def test_a_wikidata_id_of_the_wrong_form_is_an_error_at_its_place(repo: Path, value: str) -> None:
    path = _with_wikidata(repo, value)
    problems = validate_archive(repo / "content").errors
    loc = str(path.parent) + "/" + where(path, value, path.parent)
    found = [p for p in problems if p.where == loc]
    assert len(found) == 1, [p.format() for p in problems]
    if value == "7747":  # YAML reads it as a number
        assert "should be a text" in found[0].message
    else:
        assert found[0].message == f"`wikidata` is {value!r}, not a Wikidata id"
        assert found[0].hint == "write the item id, e.g. Q7747"


def test_a_wikidata_item_id_passes(repo: Path) -> None:
    _with_wikidata(repo, "Q7747")
    result = validate_archive(repo / "content")
    assert not result.errors
    assert result.archive is not None
    assert result.archive.actors["ivan-petrov"].links.wikidata == "Q7747"
