"""Work shared by two processes: this one and one forked child.

Two stages do thousands of independent, pure jobs: validation checks one record file per
job, generation renders one page. `in_two` shares such jobs with a forked child, which
already holds everything the jobs need (nothing is sent to it). The two claim chunks of
jobs from opposite ends of the list, so they finish together whatever the jobs cost, and
the child sends each chunk's results back as plain data (`marshal`) as soon as it has them;
this process takes them between its own chunks. The results are the same as doing every
job here, in the same order. If the child dies, or fails, this process does what it had
claimed.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import threading
from collections.abc import Callable
from typing import Any

PARALLEL_MIN = 1000
"""Fewer files than this are checked in this process: a second one costs more than it saves."""

CHUNK = 200
"""Files per share of work that the two processes take turns to claim."""


def can_fork() -> bool:
    """True if a child may be forked here."""
    import multiprocessing

    # Forking a process that runs other threads (`mkdocs serve`'s server, the plugin's
    # workers) can deadlock the child on a lock some thread held: only fork when alone.
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and (os.cpu_count() or 1) > 1
    )


def _same(value: Any) -> Any:
    return value


def _child(
    job: Callable[[int], Any],
    pack: Callable[[Any], Any],
    front: Any,
    back: Any,
    chunk: int,
    writer: Any,
) -> None:
    """The child's loop: claim chunks from the back, send each one's packed results."""
    try:
        while (start := max(front.value, back.value - chunk)) < (end := back.value):
            back.value = start
            done = [pack(job(i)) for i in range(start, end)]
            writer.send_bytes(marshal.dumps((start, done)))
    except Exception:  # this process does the rest, and reports any error
        pass


def in_two(
    count: int,
    job: Callable[[int], Any],
    *,
    name: str,
    chunk: int,
    codec: tuple[Callable[[Any], Any], Callable[[Any], Any]] = (_same, _same),
    shown: Any = None,
    beside: Callable[[], None] | None = None,
) -> list[Any]:
    """`[job(i) for i in range(count)]`, shared with a forked child. Call only if `can_fork()`.

    `job` must be a pure function of its index: either process may run it, and at the point
    where the two meet both may run the same one. `codec` turns a result into plain data for
    `marshal`, and back. `shown` (a `progress.Progress`) counts the jobs done by both.
    `beside` is called once, right after the fork: work that starts threads goes there.
    `name` names the child process (`ps` shows it).
    """
    import fcntl
    import multiprocessing

    context = multiprocessing.get_context("fork")
    try:
        # No lock: each counter has one writer, so a child that dies can never leave one
        # held. Two claims racing at the meeting point may overlap by a chunk (done twice,
        # the same result); they never leave a gap, since each side stops only once the
        # ends met.
        front = context.RawValue("q", 0)  # written by this process only
        back = context.RawValue("q", count)  # written by the child only
        reader, writer = context.Pipe(duplex=False)
    except OSError:  # no shared memory here (some sandboxes): everything in this process
        if beside is not None:
            beside()
        done = []
        for i in range(count):
            done.append(job(i))
            if shown is not None:
                shown.advance()
        return done
    pack, unpack = codec
    process = context.Process(
        target=_child, args=(job, pack, front, back, chunk, writer), name=name
    )
    process.daemon = True
    process.start()
    writer.close()  # so that the reader sees EOF when the child ends, or dies
    with contextlib.suppress(AttributeError, OSError):  # Linux: room for a few chunks
        fcntl.fcntl(reader.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    missing = object()
    results = [missing] * count
    received: list[tuple[int, list[Any]]] = []

    def receive(wait: bool) -> None:
        # What the child has sent so far (with `wait`, everything until it ends): taken
        # between this process's own chunks, so that the child seldom waits on the pipe.
        with contextlib.suppress(EOFError, OSError):  # EOF: the child is done, or died
            while wait or reader.poll():
                received.append(marshal.loads(reader.recv_bytes()))
                if shown is not None:
                    shown.advance(len(received[-1][1]))

    finished = False
    try:
        if beside is not None:
            beside()
        while (start := front.value) < (end := min(back.value, start + chunk)):
            front.value = end
            for i in range(start, end):
                results[i] = job(i)
            if shown is not None:
                shown.advance(end - start)
            receive(wait=False)
        receive(wait=True)
        finished = True
    finally:
        if not finished:  # an error or Ctrl-C here: the child's results are not wanted
            process.terminate()
        reader.close()
        process.join()
    for start, packed in received:
        for i, data in enumerate(packed, start):
            if results[i] is missing:  # a chunk both claimed at the meeting point
                results[i] = unpack(data)
    received.clear()
    # Whatever the child claimed but never sent (it died, or failed): done here.
    return [job(i) if result is missing else result for i, result in enumerate(results)]


def check_all(
    work: list[Any],
    check: Callable[[Any], Any],
    codec: tuple[Callable[[Any], Any], Callable[[Any], Any]],
) -> list[Any]:
    """`check(item)` of each item, in order; shared with a forked process if many.

    `check` must be a pure function of its item. `codec` turns a result into plain data
    that `marshal` can send, and back.
    """
    from generator.progress import Progress, progress

    if len(work) < PARALLEL_MIN or not can_fork():
        return [check(item) for item in progress(work, "validating", unit="file")]
    shown = Progress("validating", len(work), unit="file")
    try:
        return in_two(
            len(work),
            lambda i: check(work[i]),
            name="briefing-validate",
            chunk=CHUNK,
            codec=codec,
            shown=shown,
        )
    finally:
        shown.close()
