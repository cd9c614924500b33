"""Work shared by two processes, this one and a forked child: the one owner of forking.

Two stages do thousands of independent, pure jobs: validation checks one record file per
job, generation renders one page. `share` does them here, or, when the caller says there
are enough to be worth it and forking is safe, shares them with a forked child, which
already holds everything the jobs need (nothing is sent to it). The two claim chunks of
jobs from opposite ends of the list, so they finish together whatever the jobs cost, and
the child sends each chunk's results back as plain data (`marshal`) as soon as it has them;
this process takes them between its own chunks. The results are the same as doing every
job here, in the same order. If the child dies, or fails, this process does what it had
claimed.

`apart` runs one long piece of work (the search indexing) in a forked child beside
everything this process does next, so that neither waits for the other's turn at the GIL.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from generator.progress import Progress, progress

T = TypeVar("T")


def _can_fork() -> bool:
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


# `back` before this process has claimed anything: the child may go on up to its limit.
_UNCLAIMED = 1 << 62


def _child(
    job: Callable[[int], Any],
    pack: Callable[[Any], Any],
    front: Any,
    back: Any,
    limit: int,
    chunk: int,
    writer: Any,
) -> None:
    """The child's loop: claim chunks from the front, send each one's packed results.

    Until this process has claimed a chunk it may be busy preparing (and not reading the
    pipe): the results wait here rather than fill the pipe and stop the child.
    """
    waiting: list[bytes] = []
    try:
        while (start := front.value) < (end := min(start + chunk, back.value, limit)):
            front.value = end
            done = marshal.dumps((start, [pack(job(i)) for i in range(start, end)]))
            if back.value == _UNCLAIMED:
                waiting.append(done)
                continue
            for sent in waiting:
                writer.send_bytes(sent)
            waiting.clear()
            writer.send_bytes(done)
        for sent in waiting:
            writer.send_bytes(sent)
    except Exception:  # this process does the rest, and reports any error
        pass


def share(
    count: int | Callable[[], int],
    job: Callable[[int], T],
    *,
    parallel: bool,
    name: str,
    what: str,
    unit: str,
    chunk: int,
    child_limit: int | None = None,
    codec: tuple[Callable[[Any], Any], Callable[[Any], Any]] = (_same, _same),
    beside: Callable[[], None] | None = None,
) -> list[T]:
    """`[job(i) for i in range(count)]`, shown as `what` counted in `unit`s.

    With `parallel` (the caller's judgement that there are jobs enough to be worth a
    second process), the jobs are shared with a forked child where the platform can fork
    and no other thread runs: the child claims chunks of `chunk` jobs from the front, this
    process from the back, until they meet. `job` must then be a pure function of its
    index: either process may run it, and where the two meet both may run the same one.
    The child does no job at or above `child_limit` (a job it has not what it takes for).
    `codec` turns a result into plain data for `marshal`, and back. `name` names the child
    (`ps` shows it).

    `count` may be a function, called in this process (after any fork): work that the child
    need not wait for (it returns the count, at least `child_limit`). `beside` runs once,
    after `count` and after any fork: work that starts threads goes there, since forking
    beside a running thread can deadlock the child on a lock that thread held. An error in
    either stops the child.
    """
    if parallel and _can_fork():
        shared = _in_two(count, job, name, what, unit, chunk, child_limit, codec, beside)
        if shared is not None:
            return shared
    total = count if isinstance(count, int) else count()
    if beside is not None:
        beside()
    return [job(i) for i in progress(range(total), what, unit=unit)]


def _in_two(
    count: int | Callable[[], int],
    job: Callable[[int], T],
    name: str,
    what: str,
    unit: str,
    chunk: int,
    child_limit: int | None,
    codec: tuple[Callable[[Any], Any], Callable[[Any], Any]],
    beside: Callable[[], None] | None,
) -> list[T] | None:
    """`share`'s jobs, shared with a forked child; None if no child could be made here."""
    import fcntl
    import multiprocessing

    context = multiprocessing.get_context("fork")
    if child_limit is None:
        child_limit = count if isinstance(count, int) else 0
    try:
        # No lock: each counter has one writer, so a child that dies can never leave one
        # held. Two claims racing at the meeting point may overlap by a chunk (done twice,
        # the same result); they never leave a gap, since each side stops only once the
        # ends met.
        front = context.RawValue("q", 0)  # written by the child only
        back = context.RawValue("q", _UNCLAIMED)  # written by this process only
        reader, writer = context.Pipe(duplex=False)
    except OSError:  # no shared memory here (some sandboxes): everything in this process
        return None
    pack, unpack = codec
    process = context.Process(
        target=_child, args=(job, pack, front, back, child_limit, chunk, writer), name=name
    )
    process.daemon = True
    process.start()
    writer.close()  # so that the reader sees EOF when the child ends, or dies
    with contextlib.suppress(AttributeError, OSError):  # Linux: room for a few chunks
        fcntl.fcntl(reader.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    received: list[tuple[int, list[Any]]] = []
    shown = None
    finished = False
    try:
        total = count if isinstance(count, int) else count()
        assert total >= child_limit, "the child was let do jobs that do not exist"
        if beside is not None:
            beside()
        missing = object()
        results: list[Any] = [missing] * total
        # Made once forked, so that no copy of a progress bar lives in the child.
        shown = Progress(what, total, unit=unit)

        def receive(wait: bool) -> None:
            # What the child has sent so far (with `wait`, everything until it ends): taken
            # between this process's own chunks, so that the child seldom waits on the pipe.
            with contextlib.suppress(EOFError, OSError):  # EOF: the child is done, or died
                while wait or reader.poll():
                    received.append(marshal.loads(reader.recv_bytes()))
                    shown.advance(len(received[-1][1]))

        end = total
        while (start := max(front.value, end - chunk)) < end:
            back.value = start
            for i in range(start, end):
                results[i] = job(i)
            shown.advance(end - start)
            receive(wait=False)
            end = start
        back.value = end  # claimed all (the child may wait for this to send what it has)
        receive(wait=True)
        finished = True
    finally:
        if shown is not None:
            shown.close()
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


class Failed(Exception):
    """Work done apart raised, or its child died; `kind` names the exception raised."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Apart:
    """Work running in a forked child beside this process (see `apart`)."""

    def __init__(self, process: Any, reader: Any) -> None:
        self._process, self._reader = process, reader
        self._outcome: tuple[Any, ...] | None = None

    def result(self) -> Any:
        """Wait for the child: its work's value; Failed if the work raised or the child
        died."""
        if self._outcome is None:
            try:
                self._outcome = marshal.loads(self._reader.recv_bytes())
            except (EOFError, OSError):  # it ended without a word: killed, or crashed
                self._process.join()
                self._outcome = ("failed", "died", f"exit status {self._process.exitcode}")
            finally:
                self._reader.close()
                self._process.join()
        if self._outcome[0] == "ok":
            return self._outcome[1]
        raise Failed(self._outcome[1], self._outcome[2])

    def stop(self) -> None:
        """Ask the child to stop (its `on_stop` runs there), and wait for it to end."""
        if self._process.is_alive():
            with contextlib.suppress(OSError):
                os.kill(self._process.pid, signal.SIGTERM)
        with contextlib.suppress(Failed):
            self.result()


def _apart_child(work: Callable[[], Any], on_stop: Callable[[], None], writer: Any) -> None:
    signal.signal(signal.SIGTERM, lambda *_: on_stop())
    try:
        outcome: tuple[Any, ...] = ("ok", work())
    except BaseException as exc:  # reported to the parent, which raises it there
        outcome = ("failed", type(exc).__name__, str(exc))
    writer.send_bytes(marshal.dumps(outcome))


def apart(work: Callable[[], Any], *, name: str, on_stop: Callable[[], None]) -> Apart | None:
    """Run `work` in a forked child beside this process; None where no child can be made
    safely here (the caller does the work another way).

    The child holds everything `work` needs (nothing is sent to it); `work`'s value must be
    plain data (`marshal`). `Apart.stop` makes the child call `on_stop`, after which `work`
    should end soon. Call `apart` where `share` could fork: no other thread may run.
    """
    if not _can_fork():
        return None
    import multiprocessing

    context = multiprocessing.get_context("fork")
    try:
        reader, writer = context.Pipe(duplex=False)
    except OSError:
        return None
    process = context.Process(target=_apart_child, args=(work, on_stop, writer), name=name)
    process.daemon = True
    process.start()
    writer.close()  # so that the reader sees EOF if the child dies
    return Apart(process, reader)
