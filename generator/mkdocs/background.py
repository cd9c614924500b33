"""The work a `serve` rebuild leaves for after its pages are written, in one thread.

The feeds and data files, or a new search index, would hold up the page the browser is
waiting for; they run in the background, and the next build waits for them before it
touches site_dir. A refresh of the feeds and data files still running when the next build
starts is stale (that build's refresh makes them from newer records): it stops at its next
file, having written nothing, rather than hold up the page of the edit after it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.records.model import Archive
from generator.search.indexer import build_index

log = logging.getLogger("mkdocs.plugins.briefing")


class Superseded(Exception):
    """A newer build started: the background work's result would be out of date."""


class Background:
    """The last rebuild's background thread, if any."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._stale = threading.Event()  # set while a newer build waits for the thread

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def supersede(self) -> None:
        """A new build starts: the work that `gather`s stops at its next item; wait for it."""
        self._stale.set()
        try:
            self.wait()
        finally:
            self._stale.clear()

    def gather(self, items: Iterator[tuple[str, bytes]]) -> dict[str, bytes]:
        """`items` as a dict, made in the background thread; Superseded (and `items` closed)
        as soon as a newer build starts."""
        gathered: dict[str, bytes] = {}
        for key, value in items:
            if self._stale.is_set():
                if (close := getattr(items, "close", None)) is not None:
                    close()
                raise Superseded
            gathered[key] = value
        return gathered

    def start(self, target: Callable[..., None], *args: object) -> None:
        self._thread = threading.Thread(target=target, args=args, daemon=True)
        self._thread.start()

    def index(self, archive: Archive, site_dir: Path) -> None:
        """Index site_dir for search again, once the work already started is done."""
        previous = self._thread
        self.start(_index_after, previous, archive, site_dir)


def _index_after(previous: threading.Thread | None, archive: Archive, site_dir: Path) -> None:
    if previous is not None:
        previous.join()
    try:
        build_index(archive, site_dir)
    except Exception as exc:
        log.error(f"briefing: search index not rebuilt: {exc}")
