"""A build keeps its archive out of the cyclic collector's scans, and nothing stays frozen.

The build's `collector.Hold` freezes what validation made (`gc.freeze`): every later
collection would otherwise walk the whole archive again, only to find it alive. The build
releases it when it ends, however it ends. A `serve` rebuild pauses the collector instead,
and collects once the rebuild is done.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from _site_support import make_project, mkdocs_build
from conftest import STATEMENT

from generator import collector
from generator.mkdocs import run
from generator.records.validate import validate_archive


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    assert gc.get_freeze_count() == 0, "an earlier test left objects frozen"
    assert gc.isenabled(), "an earlier test left the collector paused"
    yield
    gc.unfreeze()  # whatever a failing test left
    gc.enable()


def _tracked(obj: object) -> bool:
    # gc.get_objects() lists the three generations the collector scans, not frozen objects.
    return any(other is obj for other in gc.get_objects())


def test_keep_freezes_what_is_alive_until_release(cached_content: Path) -> None:
    hold = collector.Hold()
    with collector.paused():
        result = validate_archive(cached_content)
        hold.keep()
    assert result.archive is not None
    statement = next(iter(result.archive.statements.values()))
    assert gc.get_freeze_count() > 0
    assert not _tracked(statement)
    assert hold.release() is False  # it kept, but never paused: nothing owed
    assert gc.get_freeze_count() == 0 and _tracked(statement)
    hold.release()  # again: nothing left to do
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_validation_alone_freezes_nothing(cached_content: Path) -> None:
    result = validate_archive(cached_content)
    assert result.archive is not None
    assert gc.get_freeze_count() == 0
    assert _tracked(next(iter(result.archive.statements.values())))


def test_a_paused_hold_owes_a_collection_once() -> None:
    hold = collector.Hold()
    hold.pause()
    assert not gc.isenabled()
    assert hold.release(collect=False) is True  # the caller collects when it suits it
    assert gc.isenabled()
    assert hold.release() is False  # released already


class _Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_release_collects_the_garbage_of_the_pause() -> None:
    hold = collector.Hold()
    hold.pause()
    garbage = weakref.ref(_Node())
    made = [[] for _ in range(10 * gc.get_threshold()[0])]  # a collection would be due
    del made
    assert garbage() is not None
    assert hold.release() is True
    assert garbage() is None


def test_records_with_errors_keep_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_project(tmp_path / "project")
    (config.parent / "content" / STATEMENT).write_text("id: [broken\n", encoding="utf-8")
    frozen: list[int] = []
    monkeypatch.setattr(run, "report_problems", lambda result: frozen.append(gc.get_freeze_count()))
    assert run.run_build(config, tmp_path / "site") == 1
    assert frozen == [0]  # right after validation


def test_freeze_before_exit_freezes_everything_alive() -> None:
    alive = object.__new__(type("Alive", (), {}))
    collector.freeze_before_exit()
    assert gc.get_freeze_count() > 0 and not _tracked(alive)


def test_a_build_thaws_what_it_froze(tmp_path: Path) -> None:
    config = make_project(tmp_path / "project")
    assert run.run_build(config, tmp_path / "site") == 0
    assert (tmp_path / "site" / "index.html").is_file()
    assert gc.get_freeze_count() == 0


def test_a_failed_build_thaws_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mkdocs.commands.build
    from mkdocs.exceptions import Abort

    frozen: list[int] = []

    def fails(config: object) -> None:
        frozen.append(gc.get_freeze_count())  # validation has frozen the archive by now
        raise Abort("the theme is broken")

    monkeypatch.setattr(mkdocs.commands.build, "build", fails)
    assert run.run_build(make_project(tmp_path / "project"), tmp_path / "site") == 1
    assert frozen and frozen[0] > 0
    assert gc.get_freeze_count() == 0


def test_mkdocs_build_thaws_what_the_plugin_froze(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.mkdocs.plugin import BriefingPlugin

    seen: list[int] = []
    real = BriefingPlugin.on_nav

    def on_nav(self: BriefingPlugin, *args: object, **kwargs: object) -> object:
        seen.append(gc.get_freeze_count())  # between validation and the end of the build
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(BriefingPlugin, "on_nav", on_nav)
    mkdocs_build(make_project(tmp_path / "project"), tmp_path / "site")
    assert (tmp_path / "site" / "index.html").is_file()
    assert seen and seen[0] > 0
    assert gc.get_freeze_count() == 0


def test_a_serve_rebuild_pauses_the_collector_until_its_pages_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config.base import load_config

    from generator.mkdocs.plugin import BriefingPlugin

    seen: list[tuple[bool, int]] = []
    real = BriefingPlugin.on_nav

    def on_nav(self: BriefingPlugin, *args: object, **kwargs: object) -> object:
        seen.append((gc.isenabled(), gc.get_freeze_count()))  # while the pages are made
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(BriefingPlugin, "on_nav", on_nav)
    config_file = make_project(tmp_path / "project")
    config = load_config(config_file=str(config_file), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)  # the first build of a serve runs as usual
        assert gc.isenabled()
        build(config, dirty=True)  # a rebuild: paused, and collected once it is done
        # ...and once its background refresh is done, which makes its files paused too.
        config.plugins["briefing"].session._background.wait()  # type: ignore[attr-defined]
        assert gc.isenabled()
    finally:
        config.plugins.on_shutdown()
    assert seen == [(True, 0), (False, 0)]  # a serve keeps nothing frozen
