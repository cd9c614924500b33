"""worker.share: jobs shared with a forked child give the results of doing them here."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from conftest import needs_fork

from generator import worker

pytestmark = needs_fork


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork is safe here whatever threads other tests left (the jobs never touch them)."""
    monkeypatch.setattr(worker, "_can_fork", lambda: True)


def _by_whom(count: int, chunk: int) -> list[tuple[int, int]]:
    # Each result says which process made it: not a pure job, but it shows who did what.
    return worker.share(
        count,
        lambda i: (i * i, os.getpid()),
        parallel=True,
        name="test-worker",
        what="testing",
        unit="job",
        chunk=chunk,
        codec=(list, tuple),  # through marshal as a list, back as a tuple
    )


@pytest.mark.usefixtures("forking")
@pytest.mark.parametrize(("count", "chunk"), [(1, 5), (7, 1), (100, 3), (1000, 64)])
def test_the_results_come_back_in_order(count: int, chunk: int) -> None:
    results = _by_whom(count, chunk)
    assert [value for value, _ in results] == [i * i for i in range(count)]
    assert all(isinstance(result, tuple) for result in results)  # unpacked


@pytest.mark.usefixtures("forking")
def test_both_processes_do_a_share() -> None:
    results = _by_whom(2000, 1)
    makers = {pid for _, pid in results}
    assert os.getpid() in makers and len(makers) == 2
    # The child works from the front: whatever this process did lies after what it did.
    mine = [i for i, (_, pid) in enumerate(results) if pid == os.getpid()]
    assert mine == list(range(2000 - len(mine), 2000))


def _share(count: int | Callable[[], int], job: Callable[[int], Any], **options: Any) -> list[Any]:
    options.setdefault("parallel", True)
    return worker.share(count, job, name="test-worker", what="testing", unit="job", **options)


def _children() -> list[str]:
    return [child.name for child in multiprocessing.active_children()]


def test_few_jobs_are_done_here_and_beside_runs_once_after_the_count() -> None:
    seen: list[str] = []

    def count() -> int:
        seen.append("count")
        return 5

    def beside() -> None:
        seen.append(f"beside {_children()}")

    made = _share(count, lambda i: (i, os.getpid()), parallel=False, chunk=1, beside=beside)
    assert made == [(i, os.getpid()) for i in range(5)]
    assert seen == ["count", "beside []"]


def test_no_fork_beside_a_running_thread() -> None:
    """A thread may hold a lock at the moment of a fork, and the child would wait forever."""
    seen: list[list[str]] = []
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        made = _share(
            3, lambda i: (i, os.getpid()), chunk=1, beside=lambda: seen.append(_children())
        )
    finally:
        stop.set()
        thread.join()
    assert made == [(i, os.getpid()) for i in range(3)]
    assert seen == [[]]


@pytest.mark.usefixtures("forking")
def test_a_child_that_fails_is_made_up_for_and_stays_quiet(
    capfd: pytest.CaptureFixture[str],
) -> None:
    parent = os.getpid()

    def job(i: int) -> int:
        if os.getpid() == parent:
            time.sleep(0.002)  # slow here, so that the child surely claims some jobs
        elif i >= 10:
            raise ValueError("only in the child")
        return i + 1

    assert _share(100, job, chunk=5) == list(range(1, 101))
    assert capfd.readouterr().err == ""  # no traceback from the child
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("forking")
def test_an_error_of_the_job_reaches_the_caller_and_no_child_is_left() -> None:
    def job(i: int) -> int:
        if i == 46:
            raise ValueError("a bad job")
        return i

    with pytest.raises(ValueError, match="a bad job"):
        _share(50, job, chunk=2)
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("forking")
def test_the_child_keeps_within_its_limit_and_prepare_gives_the_count() -> None:
    def prepare() -> int:
        time.sleep(0.2)  # time enough for the child to do every job it may, and more
        return 300

    made = _share(prepare, lambda i: (i, os.getpid()), chunk=1, child_limit=100)
    assert [i for i, _ in made] == list(range(300))
    assert {pid for i, pid in made if i >= 100} == {os.getpid()}


@pytest.mark.usefixtures("forking")
def test_the_child_goes_on_while_this_process_prepares() -> None:
    """Results the pipe has no room for wait in the child until this process reads."""
    done = multiprocessing.get_context("fork").RawValue("q", 0)
    parent = os.getpid()
    seen: list[int] = []

    def job(i: int) -> str:
        if os.getpid() != parent:
            done.value += 1
        return str(i) * 20_000  # 4 jobs a chunk: about 400 kB, and the pipe holds 1 MB

    def prepare() -> int:
        deadline = time.monotonic() + 10
        while done.value < 150 and time.monotonic() < deadline:
            time.sleep(0.01)
        seen.append(done.value)
        return 200

    made = _share(prepare, job, chunk=4, child_limit=150)
    assert seen == [150]  # the child did all it may before this process read anything
    assert made == [str(i) * 20_000 for i in range(200)]


@pytest.mark.usefixtures("forking")
def test_prepare_runs_after_the_fork_and_its_error_stops_the_child() -> None:
    seen: list[list[str]] = []

    def prepare() -> int:
        seen.append(_children())
        raise OSError("no room for the index")

    with pytest.raises(OSError, match="no room"):
        _share(prepare, lambda i: i, chunk=1, child_limit=10_000)
    assert seen == [["test-worker"]]
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("forking")
def test_beside_runs_once_after_the_fork_and_its_error_stops_the_child() -> None:
    seen: list[list[str]] = []

    def beside() -> None:
        seen.append(_children())
        raise OSError("no room for the index")

    with pytest.raises(OSError, match="no room"):
        _share(lambda: 10_000, lambda i: i, chunk=1, child_limit=10_000, beside=beside)
    assert seen == [["test-worker"]]
    assert multiprocessing.active_children() == []


# --- apart: one piece of work in a child beside this process ----------------------------------


@pytest.mark.usefixtures("forking")
def test_work_done_apart_gives_its_value_from_another_process() -> None:
    here = os.getpid()
    child = worker.apart(lambda: [os.getpid(), "done"], name="test-apart", on_stop=lambda: None)
    assert child is not None
    pid, word = child.result()
    assert word == "done" and pid != here
    assert child.result() == [pid, "done"]  # asked again: the same answer


@pytest.mark.usefixtures("forking")
def test_work_that_raises_apart_fails_with_its_kind_and_message() -> None:
    def work() -> None:
        raise ValueError("the records moved")

    child = worker.apart(work, name="test-apart", on_stop=lambda: None)
    assert child is not None
    with pytest.raises(worker.Failed, match="the records moved") as failed:
        child.result()
    assert failed.value.kind == "ValueError"


@pytest.mark.usefixtures("forking")
def test_a_child_that_dies_apart_is_reported_not_waited_for_forever() -> None:
    child = worker.apart(lambda: os._exit(3), name="test-apart", on_stop=lambda: None)
    assert child is not None
    with pytest.raises(worker.Failed, match="exit status 3") as failed:
        child.result()
    assert failed.value.kind == "died"


@pytest.mark.usefixtures("forking")
def test_stopping_work_apart_tells_the_child_and_waits_for_it() -> None:
    stop = threading.Event()

    def work() -> str:
        while not stop.wait(0.01):  # set in the child, by `on_stop`
            pass
        return "stopped"

    child = worker.apart(work, name="test-apart", on_stop=stop.set)
    assert child is not None
    time.sleep(0.2)  # the child is in its loop
    started = time.monotonic()
    child.stop()
    assert time.monotonic() - started < 10
    assert child.result() == "stopped"
    assert not stop.is_set()  # this process's event: the child's copy was set


def test_no_work_is_done_apart_where_a_fork_is_unsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "_can_fork", lambda: False)
    assert worker.apart(lambda: 1, name="test-apart", on_stop=lambda: None) is None
