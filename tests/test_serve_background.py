"""`serve`'s background refresh of the feeds and data files gives way to a newer rebuild.

At 100,000 statements the refresh after a rebuild takes longer than an editor waits between
two saves; the next rebuild must not wait for files that its own refresh makes again.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator import collector
from generator.mkdocs.background import Background, Superseded
from generator.mkdocs.session import Session
from generator.records.model import Archive

SLOW_ITEMS = 1000  # at 10 ms each, far longer than a stopped refresh may take


def _slow_items(
    made: list[int], started: threading.Event, closed: threading.Event
) -> Iterator[tuple[str, bytes]]:
    try:
        for n in range(SLOW_ITEMS):
            made.append(n)
            if n == 1:
                started.set()
            time.sleep(0.01)
            yield f"data/{n}.json", b"[]"
    finally:
        closed.set()


def test_a_newer_build_stops_a_stale_refresh_at_its_next_file_and_waits_for_it() -> None:
    background = Background()
    made: list[int] = []
    started, closed = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def refresh() -> None:
        try:
            outcome["data"] = background.gather(_slow_items(made, started, closed))
        except Superseded:
            outcome["superseded"] = True

    background.start(refresh)
    assert started.wait(10)
    background.supersede()
    # supersede returned: the refresh has ended, without its files, its source closed.
    assert outcome == {"superseded": True}
    assert closed.is_set()
    assert len(made) < SLOW_ITEMS


def test_a_refresh_that_ends_before_the_next_build_keeps_every_file() -> None:
    background = Background()
    items = [(f"data/{n}.json", bytes([n])) for n in range(5)]
    outcome: dict[str, object] = {}
    background.start(lambda: outcome.update(data=background.gather(iter(items))))
    background.wait()
    assert outcome == {"data": dict(items)}
    # A build after it supersedes nothing, and the refresh after that build is whole too.
    background.supersede()
    background.start(lambda: outcome.update(data=background.gather(iter(items[:2]))))
    background.wait()
    assert outcome == {"data": dict(items[:2])}


def _session_refreshing(
    monkeypatch: pytest.MonkeyPatch, items: Callable[[], Iterator[tuple[str, bytes]]]
) -> tuple[Session, list[str]]:
    # A serve session whose refresh makes `items`, counting the full collections it runs.
    session = Session()
    session.command = "serve"
    collections: list[str] = []
    monkeypatch.setattr(session, "_data_items", lambda archive: items())
    monkeypatch.setattr(collector, "collect", lambda: collections.append("full"))
    return session, collections


def test_a_superseded_refresh_leaves_the_full_collection_to_the_newer_rebuild(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The collection walks the whole heap; the rebuild waiting for the refresh to stop must
    # not wait for it too (its own refresh collects).
    made: list[int] = []
    started, closed = threading.Event(), threading.Event()
    session, collections = _session_refreshing(
        monkeypatch, lambda: _slow_items(made, started, closed)
    )
    background = session._background
    background.start(session._refresh_data, Archive({}, {}, {}, {}), tmp_path, True)
    assert started.wait(10)
    background.supersede()
    assert closed.is_set() and len(made) < SLOW_ITEMS
    assert collections == []


def test_a_whole_refresh_collects_once_and_never_while_it_makes_the_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    enabled: list[bool] = []

    def items() -> Iterator[tuple[str, bytes]]:
        for n in range(3):
            enabled.append(gc.isenabled())
            yield f"data/{n}.json", b"[]"

    session, collections = _session_refreshing(monkeypatch, items)
    assert gc.isenabled()
    session._background.start(session._refresh_data, Archive({}, {}, {}, {}), tmp_path, True)
    session._background.wait()
    assert enabled == [False, False, False]  # a refresh allocates over a heap of millions
    assert gc.isenabled()
    assert collections == ["full"]
    assert (tmp_path / "data" / "2.json").read_bytes() == b"[]"
