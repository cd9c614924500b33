"""Holding off Python's cyclic garbage collector while the long stages run.

Validation and generation allocate objects by the hundred thousand and free nearly all of
them by reference counting. The cyclic collector, which would walk every live object again
and again as they pile up (an archive is millions of objects), costs 10-15% of those stages
and finds nothing: they run with it paused, and it runs afterwards. In a forked child a
collection would also touch every page of memory it shares with its parent.
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
