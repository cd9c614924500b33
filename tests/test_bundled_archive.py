"""The bundled archive in content/: valid, and a faithful transcription of the seed briefing.

These tests (like the other tests/test_bundled_archive*.py and tests/browser/
test_bundled_archive*.py files) skip when content/ holds another archive: the tool's own
tests use the fixture archives, so an archive started from this repository keeps a passing
test suite.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import ROOT, briefing, needs_bundled_archive
from test_load_fast import (
    check_file_is_the_same_with_and_without_the_fast_path,
    every_record_takes_the_fast_reader,
)
from test_tooling import every_record_gets_exactly_one_schema, follow_the_editorconfig

from generator.problems import Problem
from generator.records.load import decode
from generator.records.model import Archive
from generator.records.schema import schema
from generator.records.validate import validate_archive
from generator.records.yaml_events import read_yaml
from generator.records.yaml_tree import Node, Wanted

CONTENT = ROOT / "content"
SEED = ROOT / ".." / "shared" / "seed" / "briefing-2023-12-18.txt"
KINDS = {"actors": "actor", "topics": "topic", "briefings": "briefing", "statements": "statement"}
OUTLET = "RIA News"  # the outlet's name in quotation marks, not a quote

pytestmark = needs_bundled_archive


@pytest.fixture(scope="module")
def archive() -> Archive:
    result = validate_archive(CONTENT, strict=True)
    assert result.problems == ()
    assert result.archive is not None
    return result.archive


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed text {SEED} is absent (CI lays shared/ beside the clone)")
    return SEED.read_text(encoding="utf-8")


def _load(path: Path) -> tuple[Node | None, list[Problem]]:
    """One record file's tree and problems, as validation reads it."""
    text, problems = decode(path.read_bytes(), str(path))
    if text is None:
        return None, problems
    loaded = read_yaml(text, str(path), Wanted(), tree=True)
    assert loaded is not None
    return loaded.root, loaded.problems


def test_validates_strictly_through_the_cli() -> None:
    run = briefing("validate", str(CONTENT), "--strict", cwd=ROOT)
    assert run.code == 0, run.err
    assert run.err == ""
    assert "0 warning(s), no errors" in run.out


def test_every_record_matches_its_json_schema() -> None:
    files = sorted(CONTENT.rglob("*.yml"))
    assert len(files) >= 15
    for path in files:
        kind = KINDS[path.relative_to(CONTENT).parts[0]]
        root, problems = _load(path)
        assert problems == [] and root is not None
        errors = list(jsonschema.Draft202012Validator(schema(kind)).iter_errors(root.plain()))
        assert errors == [], (path, [e.message for e in errors])


def _yaml_safe_plain(value: Any) -> Any:
    """PyYAML's reading, with dates turned back into the text the schema expects."""
    if isinstance(value, dict):
        return {k: _yaml_safe_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_yaml_safe_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_records_read_the_same_with_plain_pyyaml() -> None:
    # The archive must mean the same to any YAML tool, not only to our loader.
    yaml = pytest.importorskip("yaml")
    for path in sorted(CONTENT.rglob("*.yml")):
        data = _yaml_safe_plain(yaml.safe_load(path.read_text(encoding="utf-8")))
        root, _ = _load(path)
        assert root is not None and data == root.plain(), path


def test_five_statements_with_their_dates_and_actors(archive: Archive) -> None:
    got = sorted((str(s.date), s.actors) for s in archive.statements.values())
    assert got == [
        ("2023-11-08", ("vladimir-putin",)),
        ("2023-11-17", ("vladimir-putin",)),
        ("2023-11-20", ("vladimir-putin",)),
        ("2023-12-18", ("russia", "china")),
        ("2023-12-19", ("zhang-hanhui",)),
    ]
    joint = next(s for s in archive.statements.values() if str(s.date) == "2023-12-18")
    assert joint.kind == "joint-statement"
    for statement in archive.statements.values():
        assert statement.path == f"statements/{statement.date.year}/{statement.id}.yml"
        assert statement.id.endswith(statement.date.isoformat())


def test_briefing_keeps_its_own_date_and_zhang_notes_both(archive: Archive) -> None:
    (briefing_record,) = archive.briefings.values()
    assert briefing_record.published == dt.date(2023, 12, 18)
    zhang = next(s for s in archive.statements.values() if s.actors == ("zhang-hanhui",))
    assert zhang.date == dt.date(2023, 12, 19)
    assert zhang.date_note is not None
    assert "2023-12-18" in zhang.date_note
    assert "December 19" in zhang.date_note or "2023-12-19" in zhang.date_note
    for statement in archive.statements.values():
        assert statement.briefing == briefing_record.id
    orders = sorted(s.briefing_order or 0 for s in archive.statements.values())
    assert orders == [1, 2, 3, 4, 5]


def _quoted_spans(text: str) -> list[str]:
    spans = re.findall("“([^”]*)”", text)
    # every opening mark is closed: the seed's quotations are balanced
    assert len(spans) == text.count("“") == text.count("”")
    return spans


def test_quotes_are_exactly_the_quoted_spans_of_the_seed(archive: Archive, seed: str) -> None:
    spans = _quoted_spans(seed)
    assert OUTLET in spans
    quotes = [
        " ".join(q.text.split()) for s in archive.statements.values() for q in s.quotes
    ]  # folded YAML joins lines with single spaces
    seed_spans = [" ".join(span.split()) for span in spans]
    for quote in quotes:
        assert quote in seed_spans, f"not verbatim from the seed: {quote!r}"
    assert sorted(quotes) == sorted(s for s in seed_spans if s != OUTLET)
    assert all(q.lang == "en" for s in archive.statements.values() for q in s.quotes)


def test_quote_text_is_byte_exact(archive: Archive, seed: str) -> None:
    # no folding needed: the model's text equals the seed's span character for character
    spans = set(_quoted_spans(seed))
    for statement in archive.statements.values():
        for quote in statement.quotes:
            assert quote.text in spans, quote.text


def test_briefing_text_is_the_seed_text(archive: Archive, seed: str) -> None:
    (briefing_record,) = archive.briefings.values()
    body = re.sub(r"^\s*date \d{4}-\d{2}-\d{2}\s*", "", seed)  # the seed's dateline
    assert briefing_record.text is not None
    assert briefing_record.text.strip() == body.strip()


def test_summaries_paraphrase_without_quotation_marks(archive: Archive) -> None:
    for statement in archive.statements.values():
        for mark in "“”„«»":
            assert mark not in statement.summary, statement.id
        assert '"' not in statement.summary, statement.id


def test_actors_have_russian_and_chinese_names(archive: Archive) -> None:
    assert len(archive.actors) >= 4
    for actor in archive.actors.values():
        langs = {name.lang for name in actor.names}
        assert {"ru", "zh"} <= langs, actor.id
        for name in actor.names:
            if name.lang == "ru":
                assert re.search("[А-Яа-яЁё]", name.name), name
            if name.lang == "zh":
                assert re.search("[\u4e00-\u9fff]", name.name), name


def test_people_have_roles_covering_their_statements(archive: Archive) -> None:
    for statement in archive.statements.values():
        for actor_id in statement.actors:
            actor = archive.actors[actor_id]
            if actor.kind == "person":
                assert actor.roles_on(statement.date), (actor_id, statement.date)
            else:
                assert actor.kind == "state"


# --- what the tool's tests check on the fixture archives, on these records --------------------
def test_every_record_takes_the_fast_reader_and_agrees() -> None:
    every_record_takes_the_fast_reader(CONTENT)


def test_check_file_is_the_same_with_and_without_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check_file_is_the_same_with_and_without_the_fast_path(CONTENT, monkeypatch)


def test_every_record_gets_exactly_one_editor_schema() -> None:
    every_record_gets_exactly_one_schema(CONTENT)


def test_records_follow_the_editorconfig() -> None:
    follow_the_editorconfig(sorted(CONTENT.rglob("*.yml")))


def test_builds_with_the_repository_config(tmp_path: Path) -> None:
    # What `bash scripts/setup.sh build` does: the site of content/, a page per record.
    out = tmp_path / "site"
    run = briefing("build", "--site-dir", str(out), cwd=ROOT)
    assert run.code == 0, run.err
    for folder in ("statements", "actors", "topics", "briefings"):
        stems = [path.stem for path in CONTENT.joinpath(folder).rglob("*.yml")]
        assert stems, folder
        for stem in stems:
            assert (out / folder / stem / "index.html").is_file(), f"{folder}/{stem}"
