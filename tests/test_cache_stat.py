"""The caches never change an answer: a changed file is always read again.

The stat index trusts a remembered digest only while a file's size, mtime, ctime, inode and
device are exactly as when it was hashed, and never for files changed just before they were
looked at ("racy", within `find.RACY_NS`). Most tests set that window to 0 so that a file
written a moment ago is already trusted, which is what exercises the index; one keeps it.

Which record files a run reads is watched where any reader must go: `os.open`.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BASE, PERSON, STATEMENT

from generator import paths, worker
from generator.cli import main
from generator.records import find, read, validate

STATEMENT_ID = Path(STATEMENT).stem


@pytest.fixture
def content(cached_content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """BASE with a cache folder of its own, and no SOURCE_DATE_EPOCH."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return cached_content


OsOpen = Callable[..., int]


def _on_record_open(
    monkeypatch: pytest.MonkeyPatch, content: Path, then: Callable[[str, OsOpen], OsOpen]
) -> None:
    """Every `os.open` of a record file under `content` (by its path relative to content/)
    goes through `then(rel, os.open)`, which returns the function that opens it."""
    real = os.open

    def opening(path: str, flags: int, *args: object, **kwargs: object) -> int:
        name = os.path.abspath(os.fsdecode(path))
        if name.endswith(".yml") and "dir_fd" not in kwargs:
            rel = Path(name).relative_to(content.resolve()).as_posix()
            return then(rel, real)(path, flags, *args, **kwargs)
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", opening)


@pytest.fixture
def reads(content: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The record files opened for reading (by their path relative to content/), in order."""
    seen: list[str] = []

    def note(rel: str, real: OsOpen) -> OsOpen:
        seen.append(rel)
        return real

    _on_record_open(monkeypatch, content, note)
    return seen


@pytest.fixture
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    # Unavoidable: a file's ctime is "now" once it is written and no test can set it back,
    # so without this every file a test writes stays racy and the stat index is never used.
    monkeypatch.setattr(find, "RACY_NS", 0)


def _same_size_edit(path: Path, old: str, new: str) -> None:
    """Rewrite `path` with `old` replaced by `new` (same length), then restore its mtime."""
    assert len(old.encode()) == len(new.encode())
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    # What gives the edit away: writing (and os.utime) set the ctime to now.
    assert after.st_ctime_ns != before.st_ctime_ns


@pytest.mark.usefixtures("no_racy_window")
def test_after_an_edit_to_any_module_or_schema_every_record_is_read_again(
    content: Path, reads: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Results are cached by file content and code: a change to any of that code must show,
    in whichever folder of the package it is."""
    # The edits go to a copy of the package (the code being run must not change), which
    # `paths` is pointed at; its digest is read once per process, so it is cleared after each.
    copy = tmp_path / "generator"
    shutil.copytree(paths.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "PACKAGE", copy)
    monkeypatch.setattr(paths, "SCHEMAS", copy / "schemas")
    paths.code_stamp.cache_clear()
    try:
        first = validate.validate_archive(content)
        reads.clear()
        assert validate.validate_archive(content) == first and reads == []
        for rel in (
            "records/load.py",
            "records/validate.py",
            "worker.py",
            "pages/plan.py",
            "schemas/topic.schema.json",
        ):
            path = copy / rel
            path.write_text(path.read_text("utf-8") + "\n", "utf-8")
            paths.code_stamp.cache_clear()
            assert validate.validate_archive(content) == first
            assert sorted(reads) == sorted(BASE), rel
            reads.clear()
    finally:
        paths.code_stamp.cache_clear()


@pytest.mark.usefixtures("no_racy_window")
def test_unchanged_files_are_not_read_again(content: Path, reads: list[str]) -> None:
    first = validate.validate_archive(content)
    assert len(reads) == len(BASE)
    reads.clear()
    second = validate.validate_archive(content)
    assert reads == []
    assert second.problems == first.problems
    assert second.archive == first.archive


@pytest.mark.usefixtures("no_racy_window")
def test_same_size_edit_with_restored_mtime_is_seen(content: Path, reads: list[str]) -> None:
    validate.validate_archive(content)
    validate.validate_archive(content)
    reads.clear()
    _same_size_edit(content / STATEMENT, "relations are good.", "relations are fine.")
    result = validate.validate_archive(content)
    assert reads == [STATEMENT]
    assert result.archive is not None
    assert result.archive.statements[STATEMENT_ID].summary == "Petrov said that relations are fine."


@pytest.mark.usefixtures("no_racy_window")
def test_same_size_edit_is_seen_by_the_validate_command(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "content"]) == 0
    assert main(["validate", "content"]) == 0  # answered from the stored outcome
    capsys.readouterr()
    _same_size_edit(content / STATEMENT, "kind: statement", "kind: statemenx")
    assert main(["validate", "content"]) == 1
    assert (
        "`kind` is 'statemenx', which is not one of the allowed values" in capsys.readouterr().err
    )


@pytest.mark.usefixtures("no_racy_window")
def test_a_replaced_file_is_seen(content: Path) -> None:
    validate.validate_archive(content)
    path = content / STATEMENT
    before = os.stat(path)
    replacement = path.with_suffix(".tmp")
    text = path.read_text(encoding="utf-8").replace("relations are good.", "relations are fine.")
    replacement.write_text(text, encoding="utf-8")
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replacement, path)  # how many editors save: a new file (inode) under the name
    result = validate.validate_archive(content)
    assert result.archive is not None
    assert result.archive.statements[STATEMENT_ID].summary == "Petrov said that relations are fine."


def test_files_changed_just_before_a_run_are_read_every_time(
    content: Path, reads: list[str]
) -> None:
    # With the real window, files written a moment ago are racy: never trusted by stat.
    validate.validate_archive(content)
    reads.clear()
    validate.validate_archive(content)
    assert sorted(reads) == sorted(BASE)


@pytest.mark.usefixtures("no_racy_window")
def test_the_outcome_of_an_unchanged_archive_is_reused(
    content: Path, reads: list[str], tmp_path: Path
) -> None:
    (content / PERSON).write_text(BASE[PERSON] + "description: TODO\n", encoding="utf-8")
    first = validate.check_archive(content, strict=False)
    assert [p.message for p in first.problems] == ["placeholder text left in the record"]
    reads.clear()
    # Without the files' own results, only the archive's whole outcome can answer unread.
    (results,) = (tmp_path / "cache" / "briefing-archive").glob("*.results")
    results.unlink()
    second = validate.check_archive(content, strict=False)
    assert reads == []
    assert second.problems == first.problems
    assert second.counts == first.counts and second.checked == first.checked
    strict = validate.check_archive(content, strict=True)
    assert [p.severity for p in strict.problems] == ["error"]


@pytest.mark.usefixtures("no_racy_window")
def test_the_outcome_depends_on_today(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    assert validate.check_archive(content).problems == ()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1680000000")  # 2023-03-28: before the statement
    problems = validate.check_archive(content).problems
    assert [p.message for p in problems] == ["the statement's date 2023-05-01 is in the future"]


@pytest.mark.usefixtures("no_racy_window")
def test_the_outcome_depends_on_the_working_folder(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (content / PERSON).write_text(BASE[PERSON] + "description: TODO\n", encoding="utf-8")
    assert validate.check_archive(content).problems[0].path == "content/" + PERSON
    monkeypatch.chdir(content)
    assert validate.check_archive(content).problems[0].path == PERSON


@pytest.mark.usefixtures("no_racy_window")
def test_a_deleted_record_is_missed(content: Path) -> None:
    assert validate.check_archive(content).problems == ()
    (content / "topics/relations.yml").unlink()
    messages = [p.message for p in validate.check_archive(content).problems]
    assert messages == ["`topics` names topic `relations`, which does not exist"]


@pytest.mark.usefixtures("no_racy_window")
def test_a_damaged_cache_is_ignored(content: Path, tmp_path: Path) -> None:
    first = validate.validate_archive(content)
    stores = sorted((tmp_path / "cache" / "briefing-archive").iterdir())
    assert sorted(p.suffix for p in stores) == [".index", ".results"]
    for store in stores:
        store.write_bytes(b"not marshal data")
    assert validate.validate_archive(content) == first
    for store in stores:
        store.write_bytes(b"")
    assert validate.check_archive(content).problems == first.problems


def _in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, validation checks every file in this process."""
    monkeypatch.setattr(read, "PARALLEL_MIN", 10**9)


def _in_two_processes(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """From now on, validation shares even a small archive with a forked second process,
    `chunk` files a share (skipped where there is no fork).

    Unavoidable patches: the thresholds keep a small archive in one process, and threads
    that other tests started (a test server) or a one-CPU machine would stop the fork (the
    worker never touches those threads).
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    monkeypatch.setattr(worker, "_can_fork", lambda: True)
    monkeypatch.setattr(read, "PARALLEL_MIN", 1)
    monkeypatch.setattr(read, "CHUNK", chunk)


def test_parallel_checking_gives_the_same_result(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[str] = []
    real_context = multiprocessing.get_context

    def context(method: str | None = None) -> object:
        pools.append(str(method))
        return real_context(method)

    monkeypatch.setattr(multiprocessing, "get_context", context)
    # Several broken records, so that problems from both processes must interleave right.
    (content / "topics/broken.yml").write_text("id: broken\ntitle: NO\nextra: 1\n", "utf-8")
    (content / "topics/b2.yml").write_text("id: b2\ntitle: [x]\n", "utf-8")
    for n in range(40):
        (content / f"topics/t{n:02d}.yml").write_text(
            f"id: t{n:02d}\ntitle: T{n}\n" + ("colour: red\n" if n % 3 else ""), "utf-8"
        )
    monkeypatch.setenv("BRIEFING_CACHE", "0")
    _in_one_process(monkeypatch)
    serial = validate.validate_archive(content)
    _in_two_processes(monkeypatch, chunk=3)  # many chunks, claimed by both processes
    parallel = validate.validate_archive(content)
    assert len(serial.problems) > 20
    assert parallel == serial
    assert pools == ["fork"]  # the second run did use a worker process


def test_a_second_process_killed_midway_costs_only_time(
    content: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BRIEFING_CACHE", "0")
    _topics(content, 20)
    expected = validate.validate_archive(content)
    _in_two_processes(monkeypatch, chunk=1)
    parent, killed = os.getpid(), tmp_path / "killed"
    in_child: list[str] = []

    def dies_in_the_worker(rel: str, real: OsOpen) -> OsOpen:
        if os.getpid() == parent:
            time.sleep(0.01)  # so that the worker surely gets to its third file
        else:
            in_child.append(rel)  # the worker's own copy of the list
            if len(in_child) > 2:  # once it has sent two files' results
                killed.touch()
                os._exit(1)  # as if it were killed (out of memory, a signal)
        return real

    _on_record_open(monkeypatch, content, dies_in_the_worker)
    assert validate.validate_archive(content) == expected
    assert killed.exists()


def _topics(content: Path, count: int) -> list[str]:
    """`count` more topic records, by their path relative to content/."""
    rels = [f"topics/t{n:02d}.yml" for n in range(count)]
    for n, rel in enumerate(rels):
        (content / rel).write_text(f"id: t{n:02d}\ntitle: Topic {n}\n", "utf-8")
    return rels


@pytest.mark.usefixtures("no_racy_window")
def test_only_the_changed_file_of_a_folder_is_read(content: Path, reads: list[str]) -> None:
    rels = _topics(content, 30)
    validate.check_archive(content)
    reads.clear()
    assert validate.check_archive(content).problems == ()
    assert reads == []
    _same_size_edit(content / rels[7], "Topic 7", "Topic X")
    (content / "topics" / "new.yml").write_text("id: new\ntitle: New\n", "utf-8")
    assert validate.check_archive(content).problems == ()
    assert sorted(reads) == ["topics/new.yml", rels[7]]
    reads.clear()
    (content / rels[3]).unlink()
    assert validate.check_archive(content).problems == ()
    assert reads == []
    result = validate.validate_archive(content)
    assert reads == []
    assert result.archive is not None
    assert result.archive.topics["t07"].title == "Topic X"
    assert set(result.archive.topics) == {"relations", "new"} | {f"t{n:02d}" for n in range(30)} - {
        "t03"
    }


@pytest.mark.usefixtures("no_racy_window")
def test_a_lost_results_file_costs_one_full_read(
    content: Path, reads: list[str], tmp_path: Path
) -> None:
    _topics(content, 10)
    first = validate.validate_archive(content)
    (results,) = (tmp_path / "cache" / "briefing-archive").glob("*.results")
    results.unlink()  # the stat index still trusts every file, but their results are gone
    reads.clear()
    assert validate.validate_archive(content) == first
    assert sorted(reads) == sorted([*BASE, *(f"topics/t{n:02d}.yml" for n in range(10))])
    reads.clear()
    assert validate.validate_archive(content) == first
    assert reads == []


@pytest.mark.usefixtures("no_racy_window")
def test_layout_problems_of_an_unchanged_archive_are_found_again(
    content: Path, reads: list[str]
) -> None:
    (content / "topics" / "extra.yaml").write_text("id: extra\ntitle: Extra\n", "utf-8")
    (content / "topics" / "alias.yml").symlink_to("relations.yml")
    (content / "topics" / "README.md").write_text("notes\n", "utf-8")
    first = validate.check_archive(content)
    assert [p.message for p in first.problems] == [
        "symlink in content/",  # alias.yml
        "record files end in .yml, not .yaml",
    ]
    reads.clear()
    assert validate.check_archive(content) == first
    assert reads == []


def test_two_processes_report_an_unreadable_file_and_reuse_the_results_they_know(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files not trusted by their stat are read, hashed and checked by both processes."""
    for n in range(30):
        (content / f"topics/t{n:02d}.yml").write_text(f"id: t{n:02d}\ntitle: T{n}\n", "utf-8")
    monkeypatch.setattr(find, "RACY_NS", 10**18)  # no file is trusted by its stat
    validator = validate.Validator()  # as a `serve` keeps one across its rebuilds
    first = validator.validate(content)
    assert first.archive is not None
    _in_two_processes(monkeypatch, chunk=2)
    # Every file is read again; its bytes are cached, so each result (and model) is reused.
    again = validator.validate(content)
    assert again == first
    assert again.archive is not None
    for ident, topic in first.archive.topics.items():
        assert again.archive.topics[ident] is topic

    # A file that cannot be read, whichever process reads it (chmod would not stop root).
    def denied(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    _on_record_open(
        monkeypatch, content, lambda rel, real: denied if rel == "topics/t07.yml" else real
    )
    broken = validator.validate(content)
    _in_one_process(monkeypatch)
    serial = validate.validate_archive(content)
    assert broken == serial
    assert [p.message for p in broken.errors] == ["cannot read the file: Permission denied"]


def test_a_validator_remembers_results_and_a_run_of_its_own_does_not(
    content: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]
) -> None:
    """Without the disk cache, only a kept `Validator` spares a rebuild the checking."""
    monkeypatch.setenv("BRIEFING_CACHE", "0")
    checked: list[str] = []
    # Private on purpose: a file read and hashed but not checked looks, from outside, like a
    # file checked again; only the per-file check itself tells them apart.
    real = read.check_file

    def spy(record: find.RecordFile, data: bytes) -> object:
        checked.append(record.rel)
        return real(record, data)

    monkeypatch.setattr(read, "check_file", spy)
    validator = validate.Validator()
    first = validator.validate(content)
    assert first.archive is not None and sorted(checked) == sorted(BASE)
    checked.clear()
    again = validator.validate(content)
    assert again == first and checked == []  # every file read and hashed, none checked
    assert sorted(reads) == sorted([*BASE, *BASE])  # no stat index without the disk cache
    topic = next(iter(first.archive.topics))
    assert again.archive is not None and again.archive.topics[topic] is first.archive.topics[topic]
    alone = validate.validate_archive(content)
    assert alone == first and sorted(checked) == sorted(BASE)  # a fresh memory: checked again
