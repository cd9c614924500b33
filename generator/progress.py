"""Progress bars for the long stages (validation, generation, page building, indexing).

A terminal gets a tqdm bar; logs (CI, a pipe) get nothing, since tqdm disables itself
when stderr is not a terminal. Small archives finish before a bar would be worth seeing.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sized
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")

THRESHOLD = 2000
"""Fewer items than this finish in a moment: no bar."""


class _Bar(tqdm):  # type: ignore[misc]  # tqdm has no type information here
    # tqdm starts a monitor thread with its first bar, even a disabled one, and it stays
    # for the life of the process: while it runs, the validator and the renderer may not
    # fork their second process (a fork beside a thread can deadlock). The bars here
    # update from their own loops, so the monitor has nothing to do.
    monitor_interval = 0


def progress(
    items: Iterable[T], what: str, *, unit: str = "item", total: int | None = None
) -> Iterator[T]:
    """Iterate over `items`, showing a bar on stderr when it is a terminal and the job is long."""
    count = total if total is not None else (len(items) if isinstance(items, Sized) else None)
    quiet = count is not None and count < THRESHOLD
    if quiet:
        yield from items
        return
    yield from _Bar(
        items,
        desc=what,
        unit=unit,
        total=count,
        leave=False,
        file=sys.stderr,
        disable=None,  # only on a terminal
        mininterval=0.5,
    )
