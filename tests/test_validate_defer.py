"""validate_archive(defer=True): the archive at once, the last warnings and the cache later.

A build runs what is deferred beside its forked renderer; whatever runs it, the finished
result is the one `validate_archive` gives without `defer`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from _site_support import make_project, mkdocs_build
from conftest import PERSON, STATEMENT

from generator.records.validate import validate_archive

ROLE_WARNING = "no recorded role of `ivan-petrov` covers 2023-05-01"


@pytest.fixture
def content(cached_content: Path) -> Path:
    """BASE with one warning that only the checks across records find."""
    person = cached_content / PERSON
    person.write_text(person.read_text("utf-8").replace('to: "2024"', 'to: "2022"'), "utf-8")
    return cached_content


def _stores(cache: Path) -> list[str]:
    return sorted(p.suffix for p in (cache / "briefing-archive").glob("*") if p.is_file())


def test_the_finished_result_is_the_whole_result(content: Path, tmp_path: Path) -> None:
    deferred = validate_archive(content, defer=True)
    assert deferred.pending is not None
    assert deferred.archive is not None
    assert ROLE_WARNING not in [p.message for p in deferred.problems]
    assert _stores(tmp_path / "cache") == []  # the cache is written by finish()
    finished = deferred.finish()
    assert finished.pending is None
    assert ROLE_WARNING in [p.message for p in finished.warnings]
    assert _stores(tmp_path / "cache") == [".index", ".results"]
    assert finished == validate_archive(content)  # now from the cache
    assert finished.archive == deferred.archive
    assert deferred.finish() is finished  # asked again: the same, with no warning twice


def test_nothing_is_deferred_when_there_is_no_archive(content: Path) -> None:
    (content / STATEMENT).write_text("id: [broken\n", encoding="utf-8")
    result = validate_archive(content, defer=True)
    assert result.pending is None and result.archive is None and result.errors


def test_nothing_is_deferred_under_strict(content: Path) -> None:
    # A warning fails a strict run: the archive is not known before the last checks.
    result = validate_archive(content, strict=True, defer=True)
    assert result.pending is None and result.archive is None
    assert ROLE_WARNING in [p.message for p in result.errors]


def test_a_build_logs_the_deferred_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config_file = make_project(tmp_path / "project")
    person = config_file.parent / "content/actors/li-wei.yml"
    person.write_text(person.read_text("utf-8").replace('from: "2019"', 'from: "2025"'), "utf-8")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.briefing"):
        mkdocs_build(config_file, tmp_path / "site")
    assert (tmp_path / "site/index.html").is_file()
    logged = [r.getMessage() for r in caplog.records]
    assert any("no recorded role of `li-wei` covers 2023-11-02" in m for m in logged)
