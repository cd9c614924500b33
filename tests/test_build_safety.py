"""Issue 4, nothing is lost: `briefing build` never deletes what it did not make.

MkDocs empties site_dir before it builds (pointed at a data folder, it deleted a record), so
`briefing build` refuses a site_dir that is, contains or sits inside a source folder, a
symlink, or a non-empty folder without its marker; it builds into a temporary sibling and
swaps it in only on success; and its output is a function of the records, not of the clock.
"""

from __future__ import annotations

import datetime as real_datetime
import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import mkdocs.utils
import pytest
from _site_support import REPO, make_project

from generator.cli import main
from generator.mkdocs.site_dir import SITE_MARKER


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (symlinks not followed) with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def build(config: Path, site_dir: Path | str | None = None) -> int:
    args = ["build", "-f", str(config)]
    if site_dir is not None:
        args += ["--site-dir", str(site_dir)]
    return main(args)


def leftovers(folder: Path) -> list[str]:
    """Temporary build or old-site folders left beside a site."""
    return sorted(p.name for p in folder.iterdir() if re.search(r"\.(building|old)-", p.name))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project (the real mkdocs.yml, docs/ and the mini fixture) with a theme folder of its
    own (`custom_dir: theme`, as an archive that overrides a template has); returns its root."""
    config = make_project(tmp_path / "repo")
    (tmp_path / "repo" / "theme" / "assets").mkdir(parents=True)
    (tmp_path / "repo" / "theme" / "main.html").write_text(
        '{% extends "base.html" %}\n', encoding="utf-8"
    )
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  name: material\n", "  name: material\n  custom_dir: theme\n"))
    return tmp_path / "repo"


@pytest.mark.parametrize(
    ("where", "folder"),
    [
        ("content", "content"),
        ("content/statements/2023", "content"),
        ("docs", "docs"),
        ("theme", "theme"),
        ("theme/assets", "theme"),
        (".", "repository"),
        ("..", "repository"),
    ],
)
def test_refuses_source_folders(
    project: Path, where: str, folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(project)
    assert build(project / "mkdocs.yml", project / where) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, err
    # Either our plugin's check, naming the folder, or MkDocs' own (docs inside site_dir).
    assert f"the {folder} folder" in errors[0] or "docs_dir" in err, err
    assert snapshot(project) == before  # nothing deleted, nothing written


def test_refuses_a_folder_it_did_not_make(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "precious.yml").write_text("id: precious\n")
    assert build(project / "mkdocs.yml", data) == 1
    err = capsys.readouterr().err
    assert re.search(r"^error: site_dir .*data is not empty and was not made by", err, re.M)
    assert "hint:" in err and "Traceback" not in err
    assert snapshot(data) == {"precious.yml": b"id: precious\n"}
    assert leftovers(tmp_path) == []


def test_refuses_a_file_and_a_symlink(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A symlink to a site that briefing made is refused all the same: the build would
    # follow it (or replace the link), neither of which the user asked for.
    real = tmp_path / "real-site"
    assert build(project / "mkdocs.yml", real) == 0
    before = snapshot(real)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    assert build(project / "mkdocs.yml", link) == 1
    assert "is a symlink" in capsys.readouterr().err
    assert link.is_symlink() and snapshot(real) == before
    file = tmp_path / "file"
    file.write_text("x")
    assert build(project / "mkdocs.yml", file) == 1
    assert "is a file" in capsys.readouterr().err
    assert file.read_text() == "x"


def test_builds_into_new_empty_and_own_folders(project: Path, tmp_path: Path) -> None:
    new = tmp_path / "a" / "b" / "site"  # parents are made
    assert build(project / "mkdocs.yml", new) == 0
    assert (new / SITE_MARKER).is_file() and (new / "index.html").is_file()
    assert oct(new.stat().st_mode & 0o777) == oct(0o777 & ~_umask())  # not mkdtemp's 0700
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(project / "mkdocs.yml", empty) == 0
    assert (empty / "index.html").is_file()
    # Its own folder is replaced whole: a stale page of a removed record disappears.
    (new / "statements" / "gone").mkdir()
    (new / "statements" / "gone" / "index.html").write_text("stale")
    assert build(project / "mkdocs.yml", new) == 0
    assert not (new / "statements" / "gone").exists()
    assert leftovers(new.parent) == [] and leftovers(tmp_path) == []


def test_default_and_relative_site_dir(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build(project / "mkdocs.yml") == 0
    assert (project / "site" / SITE_MARKER).is_file()
    monkeypatch.chdir(tmp_path)
    assert build(project / "mkdocs.yml", "relative-out") == 0  # relative to where it runs
    assert (tmp_path / "relative-out" / "index.html").is_file()


def test_failed_build_leaves_the_previous_site(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = project / "site"
    assert build(project / "mkdocs.yml", site) == 0
    before = snapshot(site)
    # Valid records, but a broken link in a hand-written page: MkDocs' strict mode aborts
    # in the middle of the build, after site_dir would have been emptied.
    (project / "docs" / "broken.md").write_text("# Broken\n\n[x](missing.md)\n")
    assert build(project / "mkdocs.yml", site) == 1
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err
    assert snapshot(site) == before
    assert leftovers(project) == []


@pytest.mark.parametrize("exception", [RuntimeError("boom"), KeyboardInterrupt()])
def test_crash_or_interrupt_leaves_the_previous_site(
    project: Path, monkeypatch: pytest.MonkeyPatch, exception: BaseException
) -> None:
    import mkdocs.commands.build

    site = project / "site"
    assert build(project / "mkdocs.yml", site) == 0
    before = snapshot(site)
    real_build = mkdocs.commands.build.build

    def half_build(config: object, **kwargs: object) -> None:
        real_build(config, **kwargs)  # type: ignore[arg-type]
        raise exception

    monkeypatch.setattr(mkdocs.commands.build, "build", half_build)
    if isinstance(exception, KeyboardInterrupt):
        assert build(project / "mkdocs.yml", site) == 130  # the CLI's Ctrl-C status
    else:
        with pytest.raises(type(exception)):  # a bug still shows its traceback
            build(project / "mkdocs.yml", site)
    assert snapshot(site) == before
    assert leftovers(project) == []


def test_plain_mkdocs_build_refuses_source_folders(project: Path) -> None:
    """`mkdocs build -d content` bypasses `briefing build`; the plugin's on_config refuses."""
    before = snapshot(project)
    for where in ("content", "content/actors", "theme"):
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", where],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        assert proc.returncode != 0, proc.stderr
        assert "MkDocs empties site_dir" in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
    assert snapshot(project) == before


# --- determinism --------------------------------------------------------------------------------
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _FutureDatetime(real_datetime.datetime):
    """A clock ten years ahead, for the second build."""

    @classmethod
    def now(cls, tz: real_datetime.tzinfo | None = None) -> _FutureDatetime:
        return cls(2035, 6, 7, 8, 9, 10, tzinfo=tz)


def test_two_builds_at_different_times_are_byte_identical(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = tmp_path / "first"
    assert build(project / "mkdocs.yml", first) == 0
    # MkDocs reads the wall clock through mkdocs.utils.datetime when SOURCE_DATE_EPOCH is
    # unset; move it on, as a later CI run would.
    monkeypatch.setattr(mkdocs.utils, "datetime", _FutureDatetime)
    second = tmp_path / "second"
    assert build(project / "mkdocs.yml", second) == 0
    a, b = snapshot(first), snapshot(second)
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []
    assert "SOURCE_DATE_EPOCH" not in os.environ  # set for the build only
    # The date stamped in is the newest date in the records (the mini archive's newest
    # source is dated 2024-03-05), never the build's date.
    newest = _newest_record_date(project / "content")
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", a["sitemap.xml"].decode())) == {newest}
    stamp = int.from_bytes(a["sitemap.xml.gz"][4:8], "little")  # the gzip header's MTIME
    day = real_datetime.datetime.fromtimestamp(stamp, real_datetime.UTC).date().isoformat()
    assert day == newest
    assert gzip.decompress(a["sitemap.xml.gz"]) == a["sitemap.xml"]


def test_explicit_source_date_epoch_wins(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    assert build(project / "mkdocs.yml", tmp_path / "out") == 0
    sitemap = (tmp_path / "out" / "sitemap.xml").read_text()
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {"2023-11-14"}
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"


def _newest_record_date(content: Path) -> str:
    dates: list[str] = []
    for path in content.rglob("*.yml"):
        dates += re.findall(
            r"^\s*-?\s*(?:date|published): (\d{4}-\d{2}-\d{2})\s*$", path.read_text(), re.M
        )
    return max(dates)
