"""`briefing generate --out DIR` updates its folder in place; it never deletes what it did not make.

A second run into the same folder writes only the files whose bytes changed (the others keep
their inode and mtime), removes the pages of records that are gone, and leaves every file
someone else put there. The refusals (a folder it did not make, the content folder, a
symlink in the way) leave the folder exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _site_support import make_project
from mkdocs.config.base import load_config

from generator.cli import main
from generator.mkdocs.markdown_tree import MARKER
from generator.mkdocs.plugin import BriefingPlugin
from generator.pages.options import Options
from generator.pages.pipeline import generate
from generator.records.validate import validate_archive

STATEMENT = "statements/li-wei-river-treaty-interview-2023-11-02/index.md"
RECORD = "content/statements/2023/li-wei-river-treaty-interview-2023-11-02.yml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the mini fixture records; the current folder is its root."""
    make_project(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def generate_into(out: Path) -> int:
    return main(["generate", "--out", str(out)])


def files(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under `folder` with its inode, mtime_ns and bytes."""
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            info = path.stat()
            rel = path.relative_to(folder).as_posix()
            result[rel] = (info.st_ino, info.st_mtime_ns, path.read_bytes())
    return result


def pages(folder: Path) -> dict[str, str]:
    return {
        rel: data.decode("utf-8") for rel, (_, _, data) in files(folder).items() if rel != MARKER
    }


def test_writes_the_generated_tree(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "gen"  # parents are made
    assert generate_into(out) == 0
    assert (out / MARKER).is_file()
    archive = validate_archive(project / "content").archive
    assert archive is not None
    assert pages(out) == generate(archive, _options(project))


def _options(project: Path) -> Options:
    # The options the plugin derives from the project's mkdocs.yml.
    config = load_config(config_file=str(project / "mkdocs.yml"))
    plugin = config.plugins["briefing"]
    assert isinstance(plugin, BriefingPlugin)
    plugin.on_config(config)
    return plugin.session.options


def test_second_run_touches_only_what_changed(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "gen"
    assert generate_into(out) == 0
    before = files(out)
    assert generate_into(out) == 0
    assert files(out) == before  # same bytes, same inodes, same mtimes: nothing rewritten

    record = project / RECORD
    record.write_text(
        record.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Updated ", 1),
        encoding="utf-8",
    )
    assert generate_into(out) == 0
    after = files(out)
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    assert STATEMENT in changed
    assert b"Updated Li Wei" in after[STATEMENT][2]
    # Only pages that show the title changed; the rest were not even rewritten.
    for rel in set(before) - changed:
        assert after[rel] == before[rel], rel
    assert len(changed) < len(before) / 2


def test_removes_stale_pages_and_keeps_other_files(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "gen"
    assert generate_into(out) == 0
    page_dir = out / Path(STATEMENT).parent
    assert page_dir.is_dir()
    # Files someone added: beside the pages, inside a page's folder, in a folder of their own.
    (out / "notes.md").write_text("mine\n")
    (out / "statements" / "README.txt").write_text("mine\n")
    (page_dir / "extra.md").write_text("mine\n")
    (out / "mine").mkdir()
    (out / "mine" / "index.md").write_text("mine\n")

    (project / RECORD).unlink()
    assert generate_into(out) == 0
    assert not (out / STATEMENT).exists()  # the removed record's page is gone
    assert (page_dir / "extra.md").read_text() == "mine\n"  # its folder stays for this file
    for rel in ("notes.md", "statements/README.txt", "mine/index.md"):
        assert (out / rel).read_text() == "mine\n", rel


def test_stale_page_folder_is_removed_when_empty(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "gen"
    assert generate_into(out) == 0
    (project / RECORD).unlink()
    assert generate_into(out) == 0
    assert not (out / Path(STATEMENT).parent).exists()
    assert (out / "statements").is_dir()


def test_refuses_a_folder_it_did_not_make(project: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "precious.md").write_text("keep")
    assert generate_into(data) == 1
    assert [p.name for p in data.iterdir()] == ["precious.md"]


def test_refuses_the_content_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files(project)
    assert generate_into(project / "content") == 1
    assert generate_into(project / "content" / "statements") == 1
    assert generate_into(project) == 1  # contains the content folder
    assert files(project) == before
    assert "Traceback" not in capsys.readouterr().err


def test_invalid_records_leave_the_folder_alone(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "gen"
    assert generate_into(out) == 0
    before = files(out)
    (project / RECORD).write_text("id: [broken\n", encoding="utf-8")
    assert generate_into(out) == 1
    assert files(out) == before


def test_never_writes_through_a_symlink(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "gen"
    assert generate_into(out) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.md").write_text("keep")
    shutil.rmtree(out / "topics")
    (out / "topics").symlink_to(elsewhere, target_is_directory=True)
    assert generate_into(out) == 1
    assert "symlink" in capsys.readouterr().err
    assert sorted(p.name for p in elsewhere.iterdir()) == ["precious.md"]
    # A page replaced by a symlink to a file elsewhere: refused too, the file untouched.
    (out / "topics").unlink()
    target = tmp_path / "target.md"
    target.write_text("keep")
    assert generate_into(out) == 0
    os.unlink(out / STATEMENT)
    (out / STATEMENT).symlink_to(target)
    assert generate_into(out) == 1
    assert target.read_text() == "keep"


def test_an_edited_list_of_written_files_removes_nothing_outside_the_folder(
    project: Path, tmp_path: Path
) -> None:
    """A manifest edited to name files outside the folder, or a folder, removes nothing."""
    out = tmp_path / "gen"
    assert generate_into(out) == 0
    outside = tmp_path / "outside.md"
    outside.write_text("keep")
    (out / "kept").mkdir()
    marker = out / MARKER
    marker.write_text(
        marker.read_text() + "../outside.md\n/etc/hostname\nkept\n./index.md\n", encoding="utf-8"
    )
    assert generate_into(out) == 0
    assert outside.read_text() == "keep"
    assert (out / "kept").is_dir()
    assert "../outside.md" not in marker.read_text()


def test_generating_loads_no_other_plugin(project: Path, tmp_path: Path) -> None:
    """Generating needs only the briefing plugin: Material's search (and jieba) stay unloaded."""
    code = (
        "import sys; from generator.cli import main; "
        f"status = main(['generate', '--out', {str(tmp_path / 'gen')!r}]); "
        "print(status, 'jieba' in sys.modules, 'material.plugins.search.plugin' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=120
    )
    assert proc.stdout.split() == ["0", "False", "False"], proc.stderr
    assert "pkg_resources" not in proc.stderr


def test_restores_an_edited_page(project: Path, tmp_path: Path) -> None:
    """A generated page edited in place (same size or not) is written again; others are not."""
    out = tmp_path / "gen"
    assert generate_into(out) == 0
    before = files(out)
    page = out / STATEMENT
    text = page.read_bytes()
    page.write_bytes(text.replace(b"<h1>", b"<h2>", 1))  # same size, different bytes
    (out / "index.md").write_bytes(b"shorter")
    assert generate_into(out) == 0
    after = files(out)
    assert after[STATEMENT][2] == before[STATEMENT][2]
    assert after["index.md"][2] == before["index.md"][2]
    untouched = set(before) - {STATEMENT, "index.md", MARKER}
    assert all(after[rel] == before[rel] for rel in untouched)
