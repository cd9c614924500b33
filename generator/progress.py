"""How far the long stages have got: validation, generation, page building, indexing.

On a terminal a long job gets a tqdm bar. Anywhere else (a CI log, a pipe) it gets a line on
the log at most every `EVERY` seconds, so that a build of 100,000 statements is never
silent for a minute. Small archives finish before either would be worth showing.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterable, Iterator, Sized
from typing import Any, TypeVar

T = TypeVar("T")

THRESHOLD = 2000
"""Fewer items than this finish in a moment: no bar."""

EVERY = 10.0
"""Seconds between two progress lines on a log; a job shorter than this prints none."""

log = logging.getLogger("mkdocs.plugins.briefing")
_now = time.monotonic  # the clock the lines are timed by (tests set their own)


class Progress:
    """The progress of one job of `total` items, shown as a bar or as occasional log lines."""

    def __init__(self, what: str, total: int, *, unit: str = "item") -> None:
        self.what, self.total, self.done = what, total, 0
        self._next_line = _now() + EVERY
        self._bar: Any = None
        if total >= THRESHOLD and sys.stderr.isatty():
            self._bar = _bar(what, total, unit)

    def advance_to(self, done: int) -> None:
        """Record that `done` items (of all the job's processes) are finished."""
        done = min(done, self.total)  # two processes may both do the item where they meet
        if done <= self.done:
            return
        if self._bar is not None:
            self._bar.update(done - self.done)
        self.done = done
        if self._bar is None and done < self.total and _now() >= self._next_line:
            self._next_line = _now() + EVERY
            log.info(f"briefing: {self.what}: {done:,} of {self.total:,}")

    def advance(self, count: int = 1) -> None:
        """Record that `count` more items are finished."""
        self.advance_to(self.done + count)

    def close(self) -> None:
        """Remove the bar, if there is one."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _bar(what: str, total: int, unit: str) -> Any:
    from tqdm import tqdm  # only for a terminal: the import is not free

    class Bar(tqdm):  # type: ignore[misc]  # tqdm has no type information here
        # tqdm starts a monitor thread with its first bar and keeps it for the life of the
        # process: while it runs, the validator and the renderer may not fork their second
        # process (a fork beside a thread can deadlock). These bars are updated by their
        # own loops, so the monitor has nothing to do.
        monitor_interval = 0

    return Bar(total=total, desc=what, unit=unit, leave=False, file=sys.stderr, mininterval=0.5)


def progress(
    items: Iterable[T], what: str, *, unit: str = "item", total: int | None = None
) -> Iterator[T]:
    """Iterate over `items`, showing how far the iteration has got (see `Progress`)."""
    count = total if total is not None else (len(items) if isinstance(items, Sized) else None)
    if count is None:
        yield from items
        return
    shown = Progress(what, count, unit=unit)
    try:
        for done, item in enumerate(items, 1):
            yield item
            shown.advance_to(done)
    finally:
        shown.close()
