"""When `serve` ends, its temporary site is deleted by a process of its own, not before the
command returns; no other folder is ever touched."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from _site_support import make_project

from generator.mkdocs.session import Session
from generator.mkdocs.site_dir import discard_preview


def _site(folder: Path, files: int = 50) -> Path:
    for n in range(files):
        page = folder / "statements" / f"s{n:04d}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("<p>page</p>", encoding="utf-8")
    return folder


def _gone(temp: Path, timeout: float = 20.0) -> bool:
    # True once nothing but the emptied site folder is left in `temp`.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if [p.name for p in temp.iterdir()] == ["mkdocs_preview"]:
            return True
        time.sleep(0.05)
    return False


def test_the_preview_folder_is_emptied_at_once_and_its_files_deleted_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    site = _site(tmp_path / "mkdocs_preview")
    assert discard_preview(site)
    # MkDocs deletes the folder next: it is empty, so that takes no time.
    assert site.is_dir() and list(site.iterdir()) == []
    assert _gone(tmp_path), sorted(p.name for p in tmp_path.iterdir())


@pytest.mark.parametrize("name", ["site", "mkdocs_elsewhere"])
def test_no_other_folder_is_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # A site_dir of the user's (`mkdocs serve` never uses one, but a plugin cannot know), or
    # one named like MkDocs' but outside the temp folder, stays where it is, untouched.
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    site = _site(tmp_path / name, files=3)
    assert not discard_preview(site)
    assert len(list((site / "statements").iterdir())) == 3
    assert list(temp.iterdir()) == []


@pytest.mark.skipif(os.name == "nt", reason="symlinks need extra rights on Windows")
def test_a_symlink_to_a_folder_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    real = _site(tmp_path / "real", files=2)
    link = tmp_path / "mkdocs_link"
    link.symlink_to(real, target_is_directory=True)
    assert not discard_preview(link)
    assert len(list((real / "statements").iterdir())) == 2


def test_nothing_is_done_before_any_build(tmp_path: Path) -> None:
    assert not discard_preview(None)


def test_a_folder_that_cannot_be_renamed_is_left_to_mkdocs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows refuses to rename a folder with a file open in it: serve must still end
    # cleanly, MkDocs deleting the folder itself.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    site = _site(tmp_path / "mkdocs_preview", files=2)

    def refused(src: object, dst: object) -> None:
        raise PermissionError("a file is open")

    monkeypatch.setattr(os, "replace", refused)
    assert not discard_preview(site)
    assert len(list((site / "statements").iterdir())) == 2


def test_the_session_hands_its_served_folder_over_when_serve_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the plugin's on_shutdown calls, after a `serve` build: MkDocs' own deletion,
    # which comes next, then finds the folder empty.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    site = _site(tmp_path / "mkdocs_preview")
    session = Session()
    session.start("serve", dirty=True)
    session._served = site  # what post_build records for `serve`: MkDocs' site_dir
    session.shutdown()
    assert site.is_dir() and list(site.iterdir()) == []
    assert _gone(tmp_path)


@pytest.mark.skipif(os.name == "nt", reason="ended by SIGINT, as a POSIX terminal's Ctrl+C does")
def test_briefing_serve_ends_with_its_temporary_site_deleted(tmp_path: Path) -> None:
    # The real command, ended as a terminal's Ctrl+C ends it, in a temp folder of its own.
    config = make_project(tmp_path / "project")
    temp = tmp_path / "temp"
    temp.mkdir()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "TMPDIR": str(temp), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=config.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/briefing-archive/"
        deadline = time.monotonic() + 60
        while not _served(url):
            assert time.monotonic() < deadline, "serve did not serve its first build"
            time.sleep(0.2)
        sites = [p for p in temp.iterdir() if p.name.startswith("mkdocs_")]
        assert len(sites) == 1 and (sites[0] / "index.html").is_file()
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    # Nothing of the preview is left in the temp folder: not its site, not what watched it.
    # (Libraries may keep their own caches there: jieba does.)
    deadline = time.monotonic() + 20
    while left := [p.name for p in temp.iterdir() if "mkdocs_" in p.name or "briefing" in p.name]:
        assert time.monotonic() < deadline, left
        time.sleep(0.05)


def _served(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False
