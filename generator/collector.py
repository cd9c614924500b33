"""Python's cyclic garbage collector, held off while the long stages run: its one owner.

Validation and generation allocate objects by the hundred thousand and free nearly all of
them by reference counting. The cyclic collector, which would walk every live object again
and again as they pile up (an archive is millions of objects), costs those stages a good
share of their time and finds nothing: they run with it paused (`paused`, `pausing`), and
it runs afterwards. In a forked child a collection would also touch every page of memory it
shares with its parent.

What lives to the end of a build (the archive, the pages) is frozen out of the collector's
scans by the build's `Hold`, which thaws it when the build ends, however it ends. The CLI
freezes everything just before the process exits (`freeze_before_exit`). No other module
uses `gc` (tests/test_layout.py checks it).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block; as before after it (it may nest)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def pausing(work: Callable[[], T]) -> Callable[[], T]:
    """`work`, made to run with the collector paused whenever it is called."""

    def run() -> T:
        with paused():
            return work()

    return run


def collect() -> None:
    """A full collection now: the garbage a `Hold`'s pause left (see `Hold.release`)."""
    gc.collect()


class Hold:
    """The collector held for one build, or one rebuild of a `serve`: paused, or kept off
    what the build holds to its end, until `release`.
    """

    def __init__(self) -> None:
        self._paused = False
        self._frozen = False

    def pause(self) -> None:
        """No cyclic collection until `release`: a rebuild allocates millions of objects
        over a heap of the same size, which the collector would scan again and again."""
        gc.disable()
        self._paused = True

    def keep(self) -> None:
        """Freeze every object alive now out of the collector's scans, until `release`.

        For what lives to the end of the build. Call it before a pause ends (inside
        `paused()`, or after `pause()`): the first allocation after a pause would start a
        collection that walks every object made during it, all alive and staying so.
        """
        gc.freeze()
        self._frozen = True

    def release(self, *, collect: bool = True) -> bool:
        """Thaw what was kept and end the pause; idempotent.

        True if this hold had paused the collector, so that the garbage made meanwhile is
        still to collect: collected here with `collect`, else the caller runs `collect()`
        when it suits it (after background work, say).
        """
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        owed, self._paused = self._paused, False
        if owed:
            gc.enable()
            if collect:
                gc.collect()
        return owed


def freeze_before_exit() -> None:
    """Freeze every object just before the process ends.

    At exit, Python's last collection would walk every object the command made, only to
    find them still alive; frozen, they are skipped. Only right before exiting: nothing
    frozen is ever collected.
    """
    gc.freeze()
