"""Writing the cache removes the pickles that versions before the marshal format left behind.

Those versions kept one `<24 hex digits>.pickle` per content folder in the cache folder.
Only such files go: nothing of another name, nothing outside the cache folder or in a
subfolder of it, and no symlink is followed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import BASE

from generator.records import cache, validate

OLD = "0123456789abcdef01234567.pickle"  # another content folder's old cache


@pytest.fixture
def content(cached_content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """BASE with a cache folder of its own, and this process's memory of it forgotten."""
    monkeypatch.setattr(cache, "_SWEPT", set())
    monkeypatch.setattr(cache, "_MEMORY", {})
    return cached_content


def _old_name(content: Path) -> str:
    """The name the pickle-era versions gave this content folder's cache."""
    digest = hashlib.blake2b(str(content.resolve()).encode(), digest_size=12).hexdigest()
    return f"{digest}.pickle"


def _write(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_old_pickles_go_and_nothing_else(content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache" / "briefing-archive"
    removed = [_write(folder / _old_name(content)), _write(folder / OLD)]
    outside = tmp_path / "elsewhere.txt"
    kept = [
        _write(folder / "notes.pickle"),
        _write(folder / OLD.upper().replace(".PICKLE", ".pickle")),  # not our spelling
        _write(folder / ("0" + OLD)),  # 25 hex digits
        _write(folder / OLD[1:]),  # 23
        _write(folder / (OLD + ".bak")),
        _write(folder / OLD.replace(".pickle", ".pkl")),
        _write(folder / "sub" / OLD),  # in a subfolder
        _write(tmp_path / "cache" / OLD),  # beside the cache folder, not in it
        _write(outside, "a user file"),
    ]
    (folder / "f" / "ffffffffffffffffffffffff.pickle").mkdir(parents=True)  # a folder
    link = folder / "aaaaaaaaaaaaaaaaaaaaaaaa.pickle"
    link.symlink_to(outside)
    result = validate.check_archive(content)
    assert result.problems == () and result.checked == len(BASE)
    stores = sorted(p.suffix for p in folder.iterdir() if p.is_file() and not p.is_symlink())
    assert stores.count(".results") == 1 and stores.count(".index") == 1  # the cache was written
    assert [p for p in removed if p.exists()] == []
    assert [p for p in kept if not p.is_file()] == []
    assert (folder / "f" / "ffffffffffffffffffffffff.pickle").is_dir()
    assert link.is_symlink() and outside.read_text(encoding="utf-8") == "a user file"


def test_a_symlinked_cache_folder_is_not_followed(content: Path, tmp_path: Path) -> None:
    target = tmp_path / "somewhere"
    old = _write(target / OLD)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "briefing-archive").symlink_to(target, target_is_directory=True)
    assert validate.check_archive(content).problems == ()
    assert any(p.suffix == ".index" for p in target.iterdir())  # written through the link
    assert old.is_file()


def test_nothing_is_removed_without_a_disk_cache(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CACHE", "0")
    old = _write(tmp_path / "cache" / "briefing-archive" / _old_name(content))
    assert validate.check_archive(content).problems == ()
    assert old.is_file()
    monkeypatch.delenv("BRIEFING_CACHE")
    assert validate.check_archive(content).problems == ()
    assert not old.exists()
