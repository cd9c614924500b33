"""generate_pages: the same pages however they are made (one process or two, or a `serve`
rebuild reusing the pages that did not change)."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from dataclasses import replace
from typing import Any

import pytest
from _site_support import GOLDEN_OPTIONS
from conftest import needs_fork

from generator import worker
from generator.pages import pipeline, render
from generator.records.model import Archive


@pytest.fixture
def fork_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork is safe whatever threads other tests left (the renderer never touches them)."""
    monkeypatch.setattr(worker, "_can_fork", lambda: True)


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch, fork_safe: None) -> None:
    """Two processes even for the small fixture."""
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_STATEMENTS", 0)


def _children() -> list[str]:
    return [child.name for child in multiprocessing.active_children()]


@needs_fork
@pytest.mark.parametrize("chunk", [1, 3, 1000])
def test_two_processes_make_the_same_pages(
    archive: Archive, monkeypatch: pytest.MonkeyPatch, forking: None, chunk: int
) -> None:
    monkeypatch.setattr(pipeline, "_CHUNK", chunk)  # small chunks: the two interleave
    one = pipeline.generate_pages(archive, GOLDEN_OPTIONS)
    two = pipeline.generate_pages(archive, GOLDEN_OPTIONS, processes=2)
    assert two == one


@needs_fork
def test_a_failed_child_is_made_up_for(
    archive: Archive, monkeypatch: pytest.MonkeyPatch, forking: None
) -> None:
    """If the forked renderer dies, this process renders its pages: nothing is missing."""
    monkeypatch.setattr(pipeline, "_CHUNK", 1)
    parent = os.getpid()
    real = render.Renderer.render

    def dies_in_the_child(self: render.Renderer, page: Any) -> str:
        if os.getpid() != parent:
            os._exit(3)
        return real(self, page)

    expected = pipeline.generate_pages(archive, GOLDEN_OPTIONS)
    monkeypatch.setattr(render.Renderer, "render", dies_in_the_child)
    assert pipeline.generate_pages(archive, GOLDEN_OPTIONS, processes=2) == expected


@pytest.mark.usefixtures("fork_safe")
def test_small_sites_stay_in_one_process(archive: Archive) -> None:
    seen: list[list[str]] = []
    pages = pipeline.generate_pages(
        archive, GOLDEN_OPTIONS, processes=2, beside=lambda: seen.append(_children())
    )
    assert seen == [[]]  # no second process
    assert pages == pipeline.generate_pages(archive, GOLDEN_OPTIONS)


@needs_fork
def test_beside_runs_once_after_the_fork(archive: Archive, forking: None) -> None:
    """The build starts Pagefind's thread there: only once the second process exists."""
    seen: list[list[str]] = []

    def beside() -> None:
        seen.append(_children())

    two = pipeline.generate_pages(archive, GOLDEN_OPTIONS, processes=2, beside=beside)
    assert seen == [["briefing-render"]]
    assert two == pipeline.generate_pages(archive, GOLDEN_OPTIONS)


@needs_fork
def test_a_failing_beside_stops_the_child(archive: Archive, forking: None) -> None:
    def fails() -> None:
        raise OSError("no room for the search index")

    with pytest.raises(OSError, match="no room"):
        pipeline.generate_pages(archive, GOLDEN_OPTIONS, processes=2, beside=fails)
    assert multiprocessing.active_children() == []  # ended and joined, not left running


@pytest.mark.parametrize("cached", [False, True])
def test_beside_runs_once_in_one_process(archive: Archive, cached: bool) -> None:
    calls: list[int] = []
    cache = pipeline.RenderCache() if cached else None
    pages = pipeline.generate_pages(archive, GOLDEN_OPTIONS, cache, beside=lambda: calls.append(1))
    assert calls == [1]
    assert pages == pipeline.generate_pages(archive, GOLDEN_OPTIONS)


def test_no_fork_beside_a_running_thread(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread may hold a lock at the moment of a fork, and the child would wait forever."""
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_STATEMENTS", 0)
    seen: list[list[str]] = []
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pages = pipeline.generate_pages(
            archive, GOLDEN_OPTIONS, processes=2, beside=lambda: seen.append(_children())
        )
    finally:
        stop.set()
        thread.join()
    assert seen == [[]]
    assert pages == pipeline.generate_pages(archive, GOLDEN_OPTIONS)


def test_garbage_collection_is_restored(archive: Archive) -> None:
    assert gc.isenabled()
    pipeline.generate_pages(archive, GOLDEN_OPTIONS)
    assert gc.isenabled()
    gc.disable()
    try:
        pipeline.generate_pages(archive, GOLDEN_OPTIONS)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


# --- `serve` rebuilds: only the pages whose model changed are rendered again ----------------


def _retitled(archive: Archive, statement_id: str, title: str) -> Archive:
    statements = dict(archive.statements)
    statements[statement_id] = replace(statements[statement_id], title=title)
    return replace(archive, statements=statements)


def test_a_rebuild_of_the_same_archive_renders_nothing(archive: Archive) -> None:
    cache = pipeline.RenderCache()
    first = pipeline.generate_pages(archive, GOLDEN_OPTIONS, cache)
    assert cache.pages.made == len(first)
    again = pipeline.generate_pages(archive, GOLDEN_OPTIONS, cache)
    assert cache.pages.made == 0
    assert all(a is b for a, b in zip(again, first, strict=True))


def test_an_edited_statement_re_renders_its_pages_alone(archive: Archive) -> None:
    cache = pipeline.RenderCache()
    first = pipeline.generate_pages(archive, GOLDEN_OPTIONS, cache)
    statement_id = sorted(archive.statements)[0]
    edited = _retitled(archive, statement_id, "A title never seen before")
    pages = pipeline.generate_pages(edited, GOLDEN_OPTIONS, cache)
    assert pages == pipeline.generate_pages(edited, GOLDEN_OPTIONS)  # as a full build's
    kept = {id(page) for page in first}
    remade = [page.src_uri for page in pages if id(page) not in kept]
    assert f"statements/{statement_id}/index.md" in remade
    assert f"dates/{edited.statements[statement_id].date:%Y/%m/%d}/index.md" in remade
    assert 0 < cache.pages.made == len(remade) < len(pages) // 2


def test_what_every_page_looks_up_re_renders_every_page(archive: Archive) -> None:
    """An actor's name shows in listing lines outside their own pages' models."""
    cache = pipeline.RenderCache()
    pipeline.generate_pages(archive, GOLDEN_OPTIONS, cache)
    actor_id = sorted(archive.actors)[0]
    actors = dict(archive.actors)
    actors[actor_id] = replace(actors[actor_id], name="Someone Else Entirely")
    renamed = replace(archive, actors=actors)
    pages = pipeline.generate_pages(renamed, GOLDEN_OPTIONS, cache)
    assert cache.pages.made == len(pages)
    assert pages == pipeline.generate_pages(renamed, GOLDEN_OPTIONS)
    options = replace(GOLDEN_OPTIONS, site_name="Another Archive")
    assert len(pipeline.generate_pages(renamed, options, cache)) == cache.pages.made


def test_a_deleted_statement_page_is_not_kept(archive: Archive) -> None:
    cache = pipeline.RenderCache()
    first = pipeline.generate_pages(archive, GOLDEN_OPTIONS, cache)
    statement_id = sorted(archive.statements)[0]
    statements = {k: v for k, v in archive.statements.items() if k != statement_id}
    smaller = replace(archive, statements=statements)
    pages = pipeline.generate_pages(smaller, GOLDEN_OPTIONS, cache)
    assert f"statements/{statement_id}/index.md" not in {page.src_uri for page in pages}
    assert len(cache.pages) == len(pages) < len(first)
    assert pages == pipeline.generate_pages(smaller, GOLDEN_OPTIONS)


def _redated(archive: Archive, statement_id: str, year: int) -> Archive:
    statements = dict(archive.statements)
    old = statements[statement_id]
    statements[statement_id] = replace(old, date=old.date.replace(year=year))
    return replace(archive, statements=statements)


def test_a_statement_moved_to_a_year_of_its_own_changes_the_home_pages_downloads(
    archive: Archive,
) -> None:
    """The home page lists a download per year: a rebuild re-renders it when the years
    change, even with the same counts, first and last day and newest statements."""
    oldest = _redated(archive, "anna-petrova-grain-corridor-2023-05-10", 2021)
    cache = pipeline.RenderCache()
    pipeline.generate_pages(oldest, GOLDEN_OPTIONS, cache)
    moved = _redated(oldest, "li-wei-river-treaty-interview-2023-11-02", 2022)
    pages = {p.src_uri: p for p in pipeline.generate_pages(moved, GOLDEN_OPTIONS, cache)}
    assert "data/statements/2022.json.gz" in pages["index.md"].markdown
    assert "data/statements/2023.json.gz" not in pages["index.md"].markdown
