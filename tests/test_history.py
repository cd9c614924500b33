"""A statement page says when its record last changed, from the repository's history.

The histories here are real git repositories made in tmp_path, with commit times set, so the
days are known; where the history cannot be trusted (no git, no repository, a shallow clone)
nothing is shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from _site_support import GOLDEN_OPTIONS

from generator.pages.pipeline import generate
from generator.records.history import last_changed
from generator.records.model import Archive

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

STATEMENT = "li-wei-protocol-remarks-2024-03-03"
PATH = f"statements/2024/{STATEMENT}.yml"


def _git(repo: Path, *args: str, when: str = "2024-01-01T12:00:00+00:00") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.test",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.test",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _commit(repo: Path, files: dict[str, str], when: str) -> None:
    for rel, text in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "change", when=when)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _commit(
        root,
        {"content/actors/a.yml": "id: a\n", "content/statements/2024/s.yml": "id: s\n"},
        "2024-03-01T10:00:00+00:00",
    )
    # 23:30 at UTC-05:00 is already the next day in UTC, which is the day shown.
    _commit(root, {"content/statements/2024/s.yml": "id: s\n# fixed\n"}, "2024-03-04T23:30-05:00")
    _commit(root, {"outside.txt": "not a record\n"}, "2024-04-01T10:00:00+00:00")
    return root


def test_each_record_gets_the_day_of_its_last_commit_in_utc(repo: Path) -> None:
    (repo / "content" / "actors" / "uncommitted.yml").write_text("id: u\n", encoding="utf-8")
    assert dict(last_changed(repo / "content")) == {
        "actors/a.yml": dt.date(2024, 3, 1),
        "statements/2024/s.yml": dt.date(2024, 3, 5),
    }


def test_a_new_commit_is_seen_and_a_moved_record_dates_from_its_move(repo: Path) -> None:
    assert last_changed(repo / "content")["actors/a.yml"] == dt.date(2024, 3, 1)
    _git(repo, "mv", "content/actors/a.yml", "content/actors/b.yml")
    _git(repo, "commit", "-q", "-m", "move", when="2024-05-02T08:00:00+00:00")
    assert last_changed(repo / "content")["actors/b.yml"] == dt.date(2024, 5, 2)


def test_without_a_trustworthy_history_nothing_is_known(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loose = tmp_path / "loose" / "content"
    shutil.copytree(repo / "content", loose)
    assert last_changed(loose) == {}  # not in a git work tree
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(shallow)],
        check=True,
        capture_output=True,
    )
    assert last_changed(shallow / "content") == {}  # every file would date from the clone
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    assert last_changed(repo / "content") == {}  # no git


def _page(archive: Archive, **options: object) -> str:
    return generate(archive, dataclasses.replace(GOLDEN_OPTIONS, **options))[
        f"statements/{STATEMENT}/index.md"
    ]


def test_the_page_says_when_its_record_changed_and_links_to_its_history(
    archive: Archive,
) -> None:
    dated = dataclasses.replace(archive, changed={PATH: dt.date(2024, 3, 5)})
    page = _page(dated)
    assert (
        '<p class="ba-changed">Record last changed <time datetime="2024-03-05">5 March 2024</time>'
        ' (<a href="https://github.com/example/archive/commits/main/content/'
        f'{PATH}" rel="nofollow">history</a>)</p>'
    ) in page
    # Without a repository to link to, the day alone; without a history, nothing.
    assert '<p class="ba-changed">Record last changed <time datetime="2024-03-05">' in (
        unlinked := _page(dated, edit_base=None)
    )
    assert "history</a>" not in unlinked
    assert "ba-changed" not in _page(archive)
