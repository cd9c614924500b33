"""The work a `serve` rebuild leaves for after its pages are written, in one thread.

The feeds and data files, or a new search index, would hold up the page the browser is
waiting for; they run in the background, and the next build waits for them before it
touches site_dir.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from generator.records.model import Archive
from generator.search.indexer import build_index

log = logging.getLogger("mkdocs.plugins.briefing")


class Background:
    """The last rebuild's background thread, if any."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

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
