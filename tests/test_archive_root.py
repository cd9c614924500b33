"""Every command finds the same archive from any folder inside it: the nearest mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.cli.skeletons import schema_line
from generator.records.layout import archive_root


def test_the_nearest_mkdocs_yml_is_the_root(repo: Path, tmp_path: Path) -> None:
    deep = repo / "content" / "statements" / "2023"
    assert archive_root(deep) == repo.resolve()
    assert archive_root(repo) == repo.resolve()
    (deep / "mkdocs.yml").write_text("site_name: Nested\n", encoding="utf-8")
    assert archive_root(deep) == deep.resolve()
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    if archive_root(tmp_path) is None:  # no mkdocs.yml above the test's folder
        assert archive_root(lonely) is None


def test_build_validate_and_new_agree_from_a_subfolder(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "docs").mkdir()
    monkeypatch.chdir(repo / "content" / "topics")
    # No -f: the build finds the archive's mkdocs.yml two folders up (this one enables no
    # plugin, so the build stops there, naming the file it found).
    assert main(["build"]) == 1
    found = repo.resolve() / "mkdocs.yml"
    assert f"{found}: the `briefing` plugin is not enabled" in capsys.readouterr().err
    assert main(["validate"]) == 0
    assert "content" in capsys.readouterr().out
    assert main(["new", "topic", "--title", "Found from below"]) == 0
    assert (repo / "content" / "topics" / "found-from-below.yml").is_file()


def test_a_schema_line_names_the_schema_from_the_archive_root(repo: Path) -> None:
    (repo / "mkdocs.yml").write_text("site_name: T\nsite_url: https://example.org/a/\n")
    line = schema_line(repo / "content", "topic", repo / "content" / "topics")
    assert line == (
        "# yaml-language-server: $schema=https://example.org/a/schema/topic.schema.json\n"
    )
    # A mkdocs.yml inside the content folder is not the archive's: the search starts above.
    (repo / "content" / "mkdocs.yml").write_text("site_url: https://wrong.example/\n")
    assert schema_line(repo / "content", "topic", repo / "content" / "topics") == line
