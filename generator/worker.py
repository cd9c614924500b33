"""Checking many files in two processes: this one and one forked worker.

A cold run over thousands of records spends nearly all its time reading and parsing YAML,
one file at a time, which a second core can halve. The worker is forked, so it already holds
the list of files and the checking code (nothing is sent to it; it reads its share of the
files itself), and the two processes take turns claiming chunks of files from one shared
counter; the worker sends its results back as plain data through `marshal`. The results are
the same as checking every file here: each is a pure function of its file, and they are put
back in the files' order. Without `fork`, with other threads running, on one core, or when
the worker dies, this process does the work itself.
"""

from __future__ import annotations

import marshal
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

PARALLEL_MIN = 1000
"""Fewer files than this are checked in this process: a second one costs more than it saves."""

CHUNK = 200
"""Files per share of work that the two processes take turns to claim."""

# The files being checked, how, and the index of the next unclaimed chunk: set before the
# fork, so that the worker reads them from its copy of this process (nothing is sent to it).
_WORK: list[Any] = []
_CHECK: Callable[[Any], Any] | None = None
_PACK: Callable[[Any], Any] | None = None
_NEXT: Any = None


def _claim(chunks: int) -> Iterator[int]:
    """The chunks this process claims, one at a time, until none is left."""
    while True:
        with _NEXT.get_lock():
            index = _NEXT.value
            _NEXT.value = index + 1
        if index >= chunks:
            return
        yield index


def _check_chunk(index: int) -> list[Any]:
    assert _CHECK is not None
    return [_CHECK(item) for item in _WORK[index * CHUNK : (index + 1) * CHUNK]]


def _worker(chunks: int) -> bytes:
    assert _PACK is not None
    # Plain data through marshal: several times cheaper to send back than pickled objects.
    done = [(index, [_PACK(c) for c in _check_chunk(index)]) for index in _claim(chunks)]
    return marshal.dumps(done)


def can_fork() -> bool:
    """True if a worker may be forked here."""
    import multiprocessing

    # Forking a process that runs other threads (`mkdocs serve`'s server, the plugin's
    # workers) can deadlock the child on a lock some thread held: only fork when alone.
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and (os.cpu_count() or 1) > 1
    )


def check_all(
    work: list[Any],
    check: Callable[[Any], Any],
    codec: tuple[Callable[[Any], Any], Callable[[Any], Any]],
) -> list[Any]:
    """`check(item)` of each item, in order; shared with a forked process if many.

    `check` must be a pure function of its item. `codec` turns a result into plain data
    that `marshal` can send, and back.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from generator.progress import Progress, progress

    if len(work) < PARALLEL_MIN or not can_fork():
        return [check(item) for item in progress(work, "validating", unit="file")]
    global _WORK, _CHECK, _PACK, _NEXT
    context = multiprocessing.get_context("fork")
    chunks = -(-len(work) // CHUNK)
    try:
        counter = context.Value("q", 0)
    except OSError:  # no shared-memory semaphores here (some sandboxes): one process
        return [check(item) for item in progress(work, "validating", unit="file")]
    _WORK, _CHECK, _PACK, _NEXT = work, check, codec[0], counter
    unpack = codec[1]
    # Both processes claim chunks from one counter, so that a busy machine that slows one
    # of them shifts the work to the other; results are put back in the files' order.
    results: list[list[Any] | None] = [None] * chunks
    shown = None
    try:
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            later = pool.submit(_worker, chunks)
            # Made once the worker is forked, so that no copy of the bar lives in it.
            shown = Progress("validating", len(work), unit="file")
            for index in _claim(chunks):
                results[index] = _check_chunk(index)
                # The chunks before this one are claimed by one process or the other.
                shown.advance_to(min(len(work), (index + 1) * CHUNK))
            try:
                for index, packed in marshal.loads(later.result()):
                    results[index] = [unpack(data) for data in packed]
            except BrokenProcessPool:  # the worker died (killed, out of memory): redo its part
                pass
        for index, chunk in enumerate(results):
            if chunk is None:
                results[index] = _check_chunk(index)
    finally:
        if shown is not None:
            shown.close()
        _WORK, _CHECK, _PACK, _NEXT = [], None, None, None
    return [checked for chunk in results if chunk is not None for checked in chunk]
