"""A `serve` session's statements files: what the last refresh made from the very same records
is taken again, and the files are always the bytes a fresh making gives.

Every comparison is against `statement_downloads` without anything kept, which
tests/test_download_files.py compares with the one definition of each format.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable

import pytest
from test_download_files import _spread
from test_exports import SITE

from generator.outputs import statement_files
from generator.records.model import Archive


def _files(archive: Archive, kept: statement_files.Kept | None = None) -> dict[str, bytes]:
    return {d.path: d.data for d in statement_files.statement_downloads(archive, SITE, kept)}


def _edited(archive: Archive, statement_id: str, summary: str) -> Archive:
    statements = dict(archive.statements)
    statements[statement_id] = dataclasses.replace(statements[statement_id], summary=summary)
    return dataclasses.replace(archive, statements=statements)


def _renamed(archive: Archive) -> Archive:
    # The archive with its first actor renamed "Renamed Person".
    actor_id = next(iter(archive.actors))
    actors = dict(archive.actors)
    actors[actor_id] = dataclasses.replace(actors[actor_id], name="Renamed Person")
    return dataclasses.replace(archive, actors=actors)


def test_unchanged_records_are_not_serialised_or_gzipped_again() -> None:
    archive = _spread(300)
    kept = statement_files.Kept()
    first = _files(archive, kept)
    assert kept.items.made == 2 * 300  # each statement once per format
    assert first == _files(archive)
    again = _files(archive, kept)
    assert again == first
    assert (kept.items.made, kept.gzips.made) == (0, 0)


def test_one_edited_statement_is_made_again_with_the_gzips_that_hold_it() -> None:
    archive = _spread(300)
    kept = statement_files.Kept()
    _files(archive, kept)
    target = sorted(archive.statements)[7]
    edited = _edited(archive, target, "A new summary, with «quotes».")
    files = _files(edited, kept)
    assert files == _files(edited)
    assert files != _files(archive)
    assert kept.items.made == 2  # its JSON item and its CSV row
    year = archive.statements[target].date.year
    # The whole JSON, the whole CSV and the JSON of its year; the other years' are kept.
    assert kept.gzips.made == 3
    year_file = statement_files.year_path(year, "json")
    assert files[year_file] != _files(archive)[year_file]


def test_a_changed_actor_makes_every_item_again(archive: Archive) -> None:
    # Items show the actors' names (the CSV's actor_names): an actor's change reaches them all.
    kept = statement_files.Kept()
    _files(archive, kept)
    renamed = _renamed(archive)
    files = _files(renamed, kept)
    assert files == _files(renamed)
    assert kept.items.made == 2 * len(archive.statements)
    assert b"Renamed Person" in files["data/statements.csv"]


def test_a_making_stopped_early_leaves_the_next_one_right() -> None:
    archive = _spread(300)
    kept = statement_files.Kept()
    _files(archive, kept)
    edited = _edited(archive, sorted(archive.statements)[0], "Stopped half way.")
    made = statement_files.statement_downloads(edited, SITE, kept)
    next(made)
    made.close()
    again = _edited(archive, sorted(archive.statements)[0], "Made in full.")
    assert _files(again, kept) == _files(again)


def test_a_stopped_making_after_an_actor_changed_does_not_leave_stale_items(
    archive: Archive,
) -> None:
    # The actor is renamed, the refresh that would show it is stopped at its first file,
    # and the next one must still show the new name (not the items made before the rename).
    kept = statement_files.Kept()
    _files(archive, kept)
    renamed = _renamed(archive)
    made = statement_files.statement_downloads(renamed, SITE, kept)
    next(made)
    made.close()
    files = _files(renamed, kept)
    assert files == _files(renamed)
    assert b"Renamed Person" in files["data/statements.csv"]


def test_stopping_early_does_not_wait_for_a_running_gzip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A stale `serve` refresh stops at its next file; the next rebuild must not wait for the
    # gzips it had started.
    release, started, finished = threading.Event(), threading.Event(), threading.Event()
    real = statement_files.gzipped

    def slow(chunks: object) -> bytes:
        started.set()
        release.wait(10)
        finished.set()
        return real(chunks)  # type: ignore[arg-type]

    monkeypatch.setattr(statement_files, "gzipped", slow)
    made = statement_files.statement_downloads(_spread(30), SITE)
    next(made)  # the first file (the whole JSON, small) comes before any gzip is waited for
    assert started.wait(5)
    made.close()  # returns while the gzip still runs
    assert not finished.is_set()
    release.set()


def test_the_gzips_of_a_stopped_making_give_up_at_their_next_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Python waits for every pool thread when the process exits: a `serve` ended during a
    # refresh must not wait for whole-file gzips nobody will read.
    taken: list[bytes] = []
    started, release, done = threading.Event(), threading.Event(), threading.Event()

    def slow(chunks: Iterable[bytes]) -> bytes:
        source = iter(chunks)
        taken.append(next(source))
        started.set()
        release.wait(10)
        taken.extend(source)
        done.set()
        return b""

    monkeypatch.setattr(statement_files, "gzipped", slow)
    made = statement_files.statement_downloads(_spread(300), SITE)
    next(made)
    assert started.wait(5)
    made.close()
    release.set()
    assert done.wait(10)
    # Each gzip that had started took its first chunk and then nothing more (the whole
    # JSON alone has over 600).
    assert 1 <= len(taken) <= 2
