"""generate_pages: the same pages however they are made (one process or two)."""

from __future__ import annotations

import gc
import os
from typing import Any

import pytest
from _site_support import FIXTURE_CONTENT, GOLDEN_OPTIONS

from generator import render
from generator.model import Archive
from generator.validate import validate_archive


@pytest.fixture(scope="module")
def archive() -> Archive:
    result = validate_archive(FIXTURE_CONTENT)
    assert result.archive is not None and not result.errors
    return result.archive


needs_fork = pytest.mark.skipif(not render._can_fork(), reason="the platform cannot fork")


@needs_fork
@pytest.mark.parametrize("chunk", [1, 3, 1000])
def test_two_processes_make_the_same_pages(
    archive: Archive, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr(render, "_CHUNK", chunk)  # small chunks: the two interleave
    one = render.generate_pages(archive, GOLDEN_OPTIONS)
    two = render.generate_pages(archive, GOLDEN_OPTIONS, processes=2)
    assert two == one


@needs_fork
def test_a_failed_child_is_made_up_for(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the forked renderer dies, this process renders its pages: nothing is missing."""
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr(render, "_CHUNK", 1)
    parent = os.getpid()
    real = render.Renderer.render

    def dies_in_the_child(self: render.Renderer, page: Any) -> str:
        if os.getpid() != parent:
            os._exit(3)
        return real(self, page)

    expected = render.generate_pages(archive, GOLDEN_OPTIONS)
    monkeypatch.setattr(render.Renderer, "render", dies_in_the_child)
    assert render.generate_pages(archive, GOLDEN_OPTIONS, processes=2) == expected


def test_small_sites_stay_in_one_process(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork(*args: object) -> list[str]:
        raise AssertionError("forked for a small site")

    monkeypatch.setattr(render, "_render_in_two", no_fork)
    assert render.generate_pages(archive, GOLDEN_OPTIONS, processes=2)


def test_garbage_collection_is_restored(archive: Archive) -> None:
    assert gc.isenabled()
    render.generate_pages(archive, GOLDEN_OPTIONS)
    assert gc.isenabled()
    gc.disable()
    try:
        render.generate_pages(archive, GOLDEN_OPTIONS)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
