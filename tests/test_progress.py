"""Long stages say how far they have got: a bar on a terminal, log lines anywhere else."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from _site_support import GOLDEN_OPTIONS, make_project
from conftest import needs_fork

from generator import progress, worker
from generator.mkdocs.run import run_build
from generator.pages import pipeline
from generator.records import read, validate
from generator.records.model import Archive
from generator.search import indexer


class Lines(logging.Handler):
    """The messages logged to the plugin's logger while a test runs."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def counts(self, what: str) -> list[tuple[int, int]]:
        """(done, total) of each progress line about `what`."""
        pattern = re.compile(rf"briefing: {what}: ([0-9,]+) of ([0-9,]+)$")
        found = [pattern.match(m) for m in self.messages]
        return [(int(m[1].replace(",", "")), int(m[2].replace(",", ""))) for m in found if m]


@pytest.fixture
def lines() -> Iterator[Lines]:
    logger = logging.getLogger("mkdocs.plugins.briefing")
    handler, level = Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.fixture
def every_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line for every step (no time between lines), and never a bar."""
    monkeypatch.setattr(progress, "EVERY", 0.0)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)


def test_a_line_at_most_every_interval_and_none_at_the_end(
    monkeypatch: pytest.MonkeyPatch, lines: Lines
) -> None:
    now = [1000.0]
    monkeypatch.setattr(progress, "_now", lambda: now[0])
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    shown = progress.Progress("testing", 10)
    shown.advance_to(4)
    assert lines.counts("testing") == []  # less than EVERY seconds so far
    now[0] += progress.EVERY
    shown.advance()
    shown.advance()  # at once: no second line
    assert lines.counts("testing") == [(5, 10)]
    now[0] += progress.EVERY
    shown.advance_to(3)  # going back changes nothing
    shown.advance_to(10)  # done: the stage's own summary says so
    assert lines.counts("testing") == [(5, 10)]
    shown.advance(2)  # two processes both did the item where they met
    assert shown.done == 10


def test_a_quick_job_prints_nothing(lines: Lines, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert list(progress.progress(range(5000), "testing")) == list(range(5000))
    assert lines.messages == []


def test_a_progress_bar_leaves_no_thread_behind() -> None:
    """tqdm's monitor thread would outlive the bar and keep the renderer from forking."""
    code = (
        "import sys, threading\n"
        "sys.stderr.isatty = lambda: True  # a terminal: a real bar\n"
        "from generator import progress\n"
        "assert list(progress.progress(range(5000), 'testing')) == list(range(5000))\n"
        "print(threading.active_count())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "1"


@needs_fork
def test_validation_counts_the_files_of_both_processes(
    cached_content: Path, monkeypatch: pytest.MonkeyPatch, lines: Lines, every_step: None
) -> None:
    for n in range(40):
        (cached_content / f"topics/t{n:02d}.yml").write_text(f"id: t{n:02d}\ntitle: T{n}\n")
    monkeypatch.setattr(worker, "_can_fork", lambda: True)  # whatever threads other tests left
    monkeypatch.setattr(read, "PARALLEL_MIN", 1)
    monkeypatch.setattr(read, "CHUNK", 3)
    assert validate.validate_archive(cached_content).archive is not None
    counts = lines.counts("validating")
    files = len(list(cached_content.rglob("*.yml")))
    assert counts and all(total == files for _, total in counts)
    done = [d for d, _ in counts]
    # Counted in files, by the chunks both processes have claimed so far.
    assert done == sorted(set(done)) and all(d % 3 == 0 for d in done)


@pytest.mark.parametrize("two", [False, pytest.param(True, marks=needs_fork)])
def test_generation_counts_pages(
    archive: Archive, monkeypatch: pytest.MonkeyPatch, lines: Lines, every_step: None, two: bool
) -> None:
    if two:
        monkeypatch.setattr(pipeline, "PARALLEL_MIN_STATEMENTS", 0)
        monkeypatch.setattr(worker, "_can_fork", lambda: True)
        monkeypatch.setattr(pipeline, "_CHUNK", 2)
    pages = pipeline.generate_pages(archive, GOLDEN_OPTIONS, processes=2 if two else 1)
    counts = lines.counts("generating pages")
    assert counts and all(total == len(pages) for _, total in counts)
    done = [d for d, _ in counts]
    assert done == sorted(set(done)) and max(done) < len(pages)
    if not two:
        assert done == list(range(1, len(pages)))  # every page but the last


def test_indexing_says_each_shard_that_is_done(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: Lines
) -> None:
    monkeypatch.setattr(indexer, "run_pagefind", lambda source, output: output.mkdir(parents=True))
    shards, _ = indexer.index_shards(archive, tmp_path, size=1, jobs=2)
    assert len(shards) > 1
    count = len(shards)
    expected = [f"briefing: search index: {n} of {count} shards done" for n in range(1, count + 1)]
    assert [m for m in lines.messages if "shards done" in m] == expected


def test_a_build_says_how_far_mkdocs_has_got(
    tmp_path: Path, lines: Lines, every_step: None
) -> None:
    assert run_build(make_project(tmp_path), tmp_path / "site") == 0
    pages = len(list((tmp_path / "site").rglob("index.html")))  # one for each page
    for what in ("converting pages", "writing pages"):
        # Every page but the last: the build's own summary says when it is done.
        assert lines.counts(what) == [(n, pages) for n in range(1, pages)], what
