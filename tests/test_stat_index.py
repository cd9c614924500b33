"""find.StatIndex: a digest is trusted only for a file whose stat key is exactly as saved.

The index is kept per folder; these tests drive it directly with made-up stat keys, so that
"racy" files (changed within `RACY_NS` of the run) can be had without waiting.
"""

from __future__ import annotations

import struct
from typing import Any

import pytest

from generator.records import find
from generator.records.find import Folder, StatIndex

NOW = 10_000_000_000_000  # the run's moment, in ns
OLD = NOW - 60_000_000_000  # a minute before: not racy


def _key(size: int, changed: int = OLD, inode: int = 1) -> bytes:
    return struct.pack("<qqqQQ", size, changed, changed, inode, 7)


def _digest(n: int) -> bytes:
    return bytes([n]) * 16


def _folder(files: dict[str, bytes]) -> Folder:
    return Folder(
        "topic", "content/topics/", "topics/", "content/topics/", [*files], [*files.values()]
    )


def _index(saved: Any) -> StatIndex:
    index = StatIndex(saved)
    index.observed_ns = NOW
    return index


def _saved(files: dict[str, tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "topics/": (
            "\0".join(files),
            b"".join(key for key, _ in files.values()),
            b"".join(digest for _, digest in files.values()),
        )
    }


FILES = {"a.yml": _key(10), "b.yml": _key(20), "c.yml": _key(30)}
SAVED = _saved({name: (key, _digest(n)) for n, (name, key) in enumerate(FILES.items())})


def test_a_folder_as_saved_is_trusted_whole() -> None:
    index = _index(SAVED)
    folder = _folder(FILES)
    assert index.digests(folder) == _digest(0) + _digest(1) + _digest(2)
    assert index.export([folder])["topics/"] is SAVED["topics/"]  # nothing to write


@pytest.mark.parametrize(
    "change",
    [
        {"b.yml": _key(21)},  # size
        {"b.yml": _key(20, changed=OLD + 1)},  # mtime and ctime
        {"b.yml": struct.pack("<qqqQQ", 20, OLD, OLD + 1, 1, 7)},  # ctime alone
        {"b.yml": _key(20, inode=2)},  # replaced by another file
    ],
)
def test_a_file_whose_size_times_or_inode_changed_is_read_again(change: dict[str, bytes]) -> None:
    index = _index(SAVED)
    folder = _folder(FILES | change)
    assert index.digests(folder) == [_digest(0), None, _digest(2)]
    assert index.export([folder]) == _saved(
        {"a.yml": (FILES["a.yml"], _digest(0)), "c.yml": (FILES["c.yml"], _digest(2))}
    )


def test_an_added_file_is_read_and_a_removed_one_forgotten() -> None:
    index = _index(SAVED)
    folder = _folder({"a.yml": FILES["a.yml"], "b2.yml": _key(5), "c.yml": FILES["c.yml"]})
    assert index.digests(folder) == [_digest(0), None, _digest(2)]
    (record,) = [r for r in folder.files(index.digests(folder)) if r.digest is None]
    assert (record.rel, record.file, record.display) == (
        "topics/b2.yml",
        "content/topics/b2.yml",
        "content/topics/b2.yml",
    )
    index.hashed(record, _digest(9))
    assert index.export([folder]) == _saved(
        {
            "a.yml": (FILES["a.yml"], _digest(0)),
            "b2.yml": (_key(5), _digest(9)),
            "c.yml": (FILES["c.yml"], _digest(2)),
        }
    )


def test_a_file_changed_just_before_the_run_is_read_again_next_time() -> None:
    index = _index({})
    recent = NOW - find.RACY_NS  # exactly at the edge of the window counts as racy
    folder = _folder({"a.yml": _key(1), "b.yml": _key(2, changed=recent)})
    records = folder.files(index.digests(folder))
    assert [r.digest for r in records] == [None, None]
    for n, record in enumerate(records):
        index.hashed(record, _digest(n))
    assert index.export([folder]) == _saved({"a.yml": (_key(1), _digest(0))})
    # Next run: `a` is trusted, `b` read again.
    later = _index(index.export([folder]))
    assert later.digests(folder) == [_digest(0), None]


def test_a_file_of_a_trusted_folder_read_again_keeps_the_others() -> None:
    # Its result was lost from the results store, so the run reads it although its stat is
    # as saved: the folder is then kept file by file.
    index = _index(SAVED)
    folder = _folder(FILES)
    records = folder.files(index.digests(folder))
    index.hashed(records[1], _digest(1))
    assert index.export([folder]) == SAVED


@pytest.mark.parametrize(
    "saved",
    [
        None,
        [],
        {"topics/": None},
        {"topics/": ("a.yml\0b.yml\0c.yml", b"".join(FILES.values()))},
        {"topics/": ("a.yml\0b.yml\0c.yml", b"".join(FILES.values()), b"short")},
        {"topics/": ("a.yml\0b.yml", b"".join(FILES.values()), _digest(0) * 3)},
        {"topics/": ("a.yml\0b.yml\0c.yml", "not bytes", _digest(0) * 3)},
        {"topics/": "a.yml"},
        {"topics/a.yml": FILES["a.yml"] + _digest(0)},  # the format before folders
    ],
)
def test_a_damaged_or_old_format_index_has_every_file_read(saved: Any) -> None:
    folder = _folder(FILES)
    assert _index(saved).digests(folder) == [None, None, None]
