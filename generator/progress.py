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


def progress(
    items: Iterable[T], what: str, *, unit: str = "item", total: int | None = None
) -> Iterator[T]:
    """Iterate over `items`, showing a bar on stderr when it is a terminal and the job is long."""
    count = total if total is not None else (len(items) if isinstance(items, Sized) else None)
    quiet = count is not None and count < THRESHOLD
    yield from tqdm(
        items,
        desc=what,
        unit=unit,
        total=count,
        leave=False,
        file=sys.stderr,
        disable=True if quiet else None,  # None: only on a terminal
        mininterval=0.5,
    )
