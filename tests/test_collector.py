"""A build keeps its archive out of the cyclic collector's scans, and nothing stays frozen.

`validate_archive(keep=True)` freezes what validation made (`gc.freeze`): every later
collection would otherwise walk the whole archive again, only to find it alive. The build
thaws it when it ends, however it ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from _site_support import make_project, mkdocs_build
from conftest import STATEMENT

from generator.mkdocs import run
from generator.records.validate import validate_archive


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    assert gc.get_freeze_count() == 0, "an earlier test left objects frozen"
    yield
    gc.unfreeze()  # whatever a failing test left


def _tracked(obj: object) -> bool:
    # gc.get_objects() lists the three generations the collector scans, not frozen objects.
    return any(other is obj for other in gc.get_objects())


def test_keep_freezes_the_archive(cached_content: Path) -> None:
    result = validate_archive(cached_content, keep=True)
    assert result.archive is not None
    statement = next(iter(result.archive.statements.values()))
    assert gc.get_freeze_count() > 0
    assert not _tracked(statement)
    gc.unfreeze()
    assert _tracked(statement)


def test_without_keep_nothing_is_frozen(cached_content: Path) -> None:
    result = validate_archive(cached_content)
    assert result.archive is not None
    assert gc.get_freeze_count() == 0
    assert _tracked(next(iter(result.archive.statements.values())))


def test_records_with_errors_freeze_nothing(cached_content: Path) -> None:
    (cached_content / STATEMENT).write_text("id: [broken\n", encoding="utf-8")
    result = validate_archive(cached_content, keep=True)
    assert result.errors and result.archive is None
    assert gc.get_freeze_count() == 0


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
