"""worker.in_two: jobs shared with a forked child give the results of doing them here."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest
from conftest import needs_fork

from generator import worker

pytestmark = needs_fork


def _by_whom(count: int, chunk: int) -> list[tuple[int, int]]:
    # Each result says which process made it: not a pure job, but it shows who did what.
    return worker.in_two(
        count,
        lambda i: (i * i, os.getpid()),
        name="test-worker",
        chunk=chunk,
        codec=(list, tuple),  # through marshal as a list, back as a tuple
    )


@pytest.mark.parametrize(("count", "chunk"), [(1, 5), (7, 1), (100, 3), (1000, 64)])
def test_the_results_come_back_in_order(count: int, chunk: int) -> None:
    results = _by_whom(count, chunk)
    assert [value for value, _ in results] == [i * i for i in range(count)]
    assert all(isinstance(result, tuple) for result in results)  # unpacked


def test_both_processes_do_a_share() -> None:
    results = _by_whom(2000, 1)
    makers = {pid for _, pid in results}
    assert os.getpid() in makers and len(makers) == 2
    # The child works from the back: whatever it did lies after whatever this process did.
    mine = [i for i, (_, pid) in enumerate(results) if pid == os.getpid()]
    assert mine == list(range(len(mine)))


def test_a_child_that_fails_is_made_up_for_and_stays_quiet(
    capfd: pytest.CaptureFixture[str],
) -> None:
    parent = os.getpid()

    def job(i: int) -> int:
        if os.getpid() == parent:
            time.sleep(0.002)  # slow here, so that the child surely claims some jobs
        elif i < 90:
            raise ValueError("only in the child")
        return i + 1

    assert worker.in_two(100, job, name="test-worker", chunk=5) == list(range(1, 101))
    assert capfd.readouterr().err == ""  # no traceback from the child
    assert multiprocessing.active_children() == []


def test_an_error_of_the_job_reaches_the_caller_and_no_child_is_left() -> None:
    def job(i: int) -> int:
        if i == 3:
            raise ValueError("a bad job")
        return i

    with pytest.raises(ValueError, match="a bad job"):
        worker.in_two(50, job, name="test-worker", chunk=2)
    assert multiprocessing.active_children() == []


def test_beside_runs_after_the_fork_and_its_error_stops_the_child() -> None:
    seen: list[list[str]] = []

    def beside() -> None:
        seen.append([child.name for child in multiprocessing.active_children()])
        raise OSError("no room for the index")

    with pytest.raises(OSError, match="no room"):
        worker.in_two(10_000, lambda i: i, name="test-worker", chunk=1, beside=beside)
    assert seen == [["test-worker"]]
    assert multiprocessing.active_children() == []
