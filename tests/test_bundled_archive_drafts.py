"""The bundled seed briefing through `briefing draft` and the quote provenance check.

The drafts must agree with the statements an editor transcribed by hand
(content/statements/): the same days, speakers, kinds and quotes, and the ambassador's date
note; and one changed word in a transcribed quote must fail validation at that quote.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import BUNDLED_BRIEFING, ROOT, briefing, needs_bundled_archive, where

from generator import cli
from generator.records.validate import validate_archive

pytestmark = needs_bundled_archive

SEED = "russia-china-relations-briefing-2023-12-18"
ZHANG = "statements/2023/zhang-hanhui-ria-novosti-russia-china-relations-2023-12-19.yml"


def bundled_without_statements(tmp_path: Path) -> Path:
    """A copy of the bundled archive with its actors, topics and briefing, no statements."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("statements"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return content


def test_the_seed_briefing_drafts_the_five_statements_an_editor_transcribed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = bundled_without_statements(tmp_path)
    assert cli.main(["draft", SEED, "--content-dir", str(content)]) == 0
    printed = capsys.readouterr().out
    bundled = validate_archive(ROOT / "content").archive
    assert bundled is not None
    expected = sorted(
        (s for s in bundled.statements.values() if s.briefing == SEED),
        key=lambda s: s.briefing_order or 0,
    )
    result = validate_archive(content)
    # Drafts hold TODOs, which validate expects in a draft: nothing to report at all.
    assert result.problems == ()
    assert result.archive is not None
    drafted = sorted(result.archive.statements.values(), key=lambda s: s.briefing_order or 0)
    assert len(drafted) == len(expected) == 5
    for draft, done in zip(drafted, expected, strict=True):
        assert draft.status == "draft"
        assert draft.briefing == SEED
        assert draft.briefing_order == done.briefing_order
        assert draft.date == done.date, done.id
        assert draft.actors == done.actors, done.id
        assert [(q.text, q.lang) for q in draft.quotes] == [(q.text, q.lang) for q in done.quotes]
        assert draft.kind == done.kind, done.id
        assert f"statements/{draft.date.year}/{draft.id}.yml" in printed
        if done.date_note:  # the ambassador's: the text's day is after the briefing's own
            assert " ".join(draft.date_note.split()) == " ".join(done.date_note.split())
        else:
            assert draft.date_note is None
    quotes = [q.text for s in drafted for q in s.quotes]
    assert len(quotes) == 4
    assert "RIA News" not in quotes
    assert "RIA News" in (ROOT / BUNDLED_BRIEFING).read_text(encoding="utf-8")


def test_drafting_again_writes_nothing_twice_and_overwrites_nothing(tmp_path: Path) -> None:
    content = bundled_without_statements(tmp_path)
    first = briefing("draft", SEED, cwd=tmp_path)
    assert first.code == 0, first.err
    files = {p: p.read_bytes() for p in (content / "statements").rglob("*.yml")}
    assert len(files) == 5
    again = briefing("draft", SEED, cwd=tmp_path)
    assert again.code == 0, again.err
    assert again.out.count("already recorded") == 5
    assert "wrote" not in again.out
    assert {p: p.read_bytes() for p in (content / "statements").rglob("*.yml")} == files


def test_one_changed_word_in_a_bundled_quote_fails_at_that_quote(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    path = tmp_path / "content" / ZHANG
    text = path.read_text(encoding="utf-8")
    assert text.count("gone through a difficult path") == 1
    path.write_text(text.replace("a difficult path", "a hard path"), encoding="utf-8")
    run = briefing("validate", cwd=tmp_path)
    assert run.code == 1
    # A block scalar's place is its indicator, where the quote's value starts.
    at = where(path, ">-\n      Over the 75 years", tmp_path)
    (line,) = [line for line in run.err.splitlines() if line.startswith(at + ": error:")]
    assert "quote 1 is not in the text of the briefing" in line
    # The closest passage is the briefing's own words, with the one that was changed.
    assert "have gone through a difficult path," in line
    assert "1 error(s)" in run.err


def test_the_bundled_quotes_are_all_in_the_briefing() -> None:
    result = validate_archive(ROOT / "content")
    assert not [p for p in result.problems if "is not in the text" in p.message]
