"""Drafts (`status: draft`): checked like every record, never published.

Real builds of the mini fixture with one draft added: `briefing build` leaves no trace of
it (the site is byte for byte the site without it), a preview asked for with drafts shows
it with a banner, and a TODO left in a published record stops every publishing build.
"""

from __future__ import annotations

import filecmp
import json
import logging
import os
import shutil
from pathlib import Path

import pytest
from _site_support import FIXTURE_CONTENT, make_project, mkdocs_build
from conftest import PERSON, STATEMENT, briefing, where
from lxml import html
from mkdocs.exceptions import Abort

from generator import cli
from generator.records.publish import DRAFTS_ENV, drafts_shown, published
from generator.records.validate import validate_archive

DRAFT_ID = "anna-petrova-zanzibar-plan-2024-04-01"
DRAFT_REL = f"statements/2024/{DRAFT_ID}.yml"
GRAIN = "anna-petrova-grain-corridor-2023-05-10"
GRAIN_REL = f"statements/2023/{GRAIN}.yml"
QUOTED_TODO = '"TODO'  # a quoted scalar is placed at its opening quote
# Newer than every fixture record, so a draft that leaked into the build's date (the
# sitemap's lastmod) would show too.
DRAFT = f"""\
status: draft
id: {DRAFT_ID}
date: 2024-04-01
actors:
  - anna-petrova
title: Zanzibar plan headline
kind: statement
summary: "TODO: say in your own words what was said."
sources:
  - title: "TODO: the report's headline"
    publisher: Northland Daily
    published: 2024-04-01
topics: [trade-talks]
related: [{GRAIN}]
"""


def add_draft(content: Path) -> Path:
    """Write the draft, and make a published statement name it in `related`."""
    path = content / DRAFT_REL
    path.write_text(DRAFT, encoding="utf-8")
    grain = content / GRAIN_REL
    grain.write_text(grain.read_text("utf-8") + f"related:\n  - {DRAFT_ID}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(the project with the draft, its `briefing build`, the same build without the draft)."""
    plain = tmp_path_factory.mktemp("plain")
    make_project(plain)
    run = briefing("build", "--site-dir", "out", cwd=plain)
    assert run.code == 0, run.err
    project = tmp_path_factory.mktemp("with-draft")
    make_project(project)
    add_draft(project / "content")
    run = briefing("build", "--site-dir", "out", cwd=project)
    assert run.code == 0, run.err
    return project, project / "out", plain / "out"


def _unfinished_draft(content: Path) -> Path:
    """A copy of the BASE statement as a draft whose summary is still a TODO."""
    draft = content / "statements" / "2023" / "draft-2023-05-03.yml"
    text = (content / STATEMENT).read_text("utf-8")
    text = text.replace("ivan-petrov-remarks-2023-05-01", "draft-2023-05-03")
    text = text.replace("summary: Petrov said that relations are good.", 'summary: "TODO: x"')
    draft.write_text("status: draft\n" + text, encoding="utf-8")
    return draft


def _differences(a: Path, b: Path) -> list[str]:
    compared = filecmp.dircmp(a, b)
    found = [*compared.left_only, *compared.right_only, *compared.diff_files]
    found += [name for name in compared.common_files if not filecmp.cmp(a / name, b / name, False)]
    for sub in compared.common_dirs:
        found += [f"{sub}/{name}" for name in _differences(a / sub, b / sub)]
    return found


# --- the archive the site is made of --------------------------------------------------------


def test_published_drops_drafts_and_the_mentions_of_them(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    before = validate_archive(content).archive
    assert before is not None and published(before) is before  # no draft: the very same
    add_draft(content)
    archive = validate_archive(content).archive
    assert archive is not None
    assert archive.statements[DRAFT_ID].status == "draft"
    assert archive.statements[GRAIN].related == (DRAFT_ID,)
    site = published(archive)
    assert DRAFT_ID not in site.statements
    assert site.statements[GRAIN].related == ()
    assert set(site.statements) == set(before.statements)
    # Untouched statements stay the same objects (serve compares pages by identity first).
    assert all(site.statements[s] is archive.statements[s] for s in site.statements if s != GRAIN)
    assert site.actors is archive.actors and site.topics is archive.topics


# --- validation -------------------------------------------------------------------------------


def test_a_drafts_todos_are_not_problems_but_a_published_records_are(repo: Path) -> None:
    content = repo / "content"
    draft = _unfinished_draft(content)
    run = briefing("validate", "--strict", cwd=repo)
    assert run.code == 0, run.err
    assert "0 warning(s), no errors" in run.out
    published = draft.read_text("utf-8").replace("status: draft", "status: published")
    draft.write_text(published, encoding="utf-8")
    run = briefing("validate", cwd=repo)
    assert run.code == 0
    place = where(draft, QUOTED_TODO, repo)
    assert f"{place}: warning: placeholder text left in the record" in run.err
    assert "hint: finish the text, or mark the statement `status: draft`" in run.err


def test_a_draft_is_still_checked_in_full(repo: Path) -> None:
    draft = repo / "content" / "statements" / "2023" / "draft-2023-05-03.yml"
    text = (repo / "content" / STATEMENT).read_text("utf-8")
    text = text.replace("ivan-petrov-remarks-2023-05-01", "draft-2023-05-03")
    draft.write_text("status: draft\n" + text.replace("  - relations", "  - nowhere"), "utf-8")
    run = briefing("validate", cwd=repo)
    assert run.code == 1
    assert f"{where(draft, 'nowhere', repo)}: error: `topics` names topic `nowhere`" in run.err
    draft.write_text("status: finished\n" + text, encoding="utf-8")
    run = briefing("validate", cwd=repo)
    assert run.code == 1 and f"{where(draft, 'finished', repo)}: error:" in run.err


# --- the published site ------------------------------------------------------------------------


def test_a_draft_leaves_no_trace_in_the_built_site(builds: tuple[Path, Path, Path]) -> None:
    _, site, plain = builds
    assert not (site / "statements" / DRAFT_ID).exists()
    statements = json.loads((site / "data" / "statements.json").read_text("utf-8"))
    assert DRAFT_ID not in {s["id"] for s in statements}
    (grain,) = [s for s in statements if s["id"] == GRAIN]
    assert grain["related"] == []
    feed = (site / "feed.xml").read_text("utf-8")
    assert "<entry>" in feed and "Zanzibar" not in feed
    home = html.fromstring((site / "index.html").read_bytes())
    assert home.xpath("//*[@class='ba-list']/li") and "Zanzibar" not in home.text_content()
    # Nowhere at all: pages, listings, feeds, downloads, search index, sitemap; the site is
    # the site built without the draft, to the byte.
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".csv", ".txt"}:
            data = path.read_bytes()
            assert DRAFT_ID.encode() not in data and b"Zanzibar" not in data, path
    assert _differences(site, plain) == []


def test_briefing_generate_leaves_drafts_out(builds: tuple[Path, Path, Path]) -> None:
    project, _, _ = builds
    run = briefing("generate", "--out", "generated", cwd=project)
    assert run.code == 0, run.err
    assert (project / "generated" / "statements" / GRAIN / "index.md").is_file()
    assert not (project / "generated" / "statements" / DRAFT_ID).exists()


def _serve_build(config_file: Path, site_dir: Path) -> None:
    """What `mkdocs serve` builds, in this process (the plugin is told the command)."""
    from mkdocs.commands.build import build
    from mkdocs.config.base import load_config

    config = load_config(str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def test_serve_with_drafts_shows_them_with_a_banner(
    builds: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _, _ = builds
    monkeypatch.setenv(DRAFTS_ENV, "1")
    _serve_build(project / "mkdocs.yml", tmp_path / "preview")
    page = tmp_path / "preview" / "statements" / DRAFT_ID / "index.html"
    doc = html.fromstring(page.read_bytes())
    (banner,) = doc.xpath("//article//p[@class='ba-draft'][@role='note']")
    assert "Draft — not published" in banner.text_content()
    (title,) = doc.xpath("//article//h1")
    assert title.text_content() == "Zanzibar plan headline"
    # Listed, marked as a draft; the published statements' pages carry no banner.
    home = html.fromstring((tmp_path / "preview" / "index.html").read_bytes())
    (item,) = [
        li for li in home.xpath("//*[@class='ba-list']/li") if "Zanzibar" in li.text_content()
    ]
    assert item.xpath(".//strong[@class='ba-draft-tag']")
    grain = html.fromstring(
        (tmp_path / "preview" / "statements" / GRAIN / "index.html").read_bytes()
    )
    assert not grain.xpath("//p[@class='ba-draft']")


def test_drafts_stay_hidden_without_the_flag_and_in_any_build(
    builds: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _, _ = builds
    monkeypatch.delenv(DRAFTS_ENV, raising=False)
    _serve_build(project / "mkdocs.yml", tmp_path / "preview")
    assert (tmp_path / "preview" / "statements" / GRAIN).is_dir()
    assert not (tmp_path / "preview" / "statements" / DRAFT_ID).exists()
    monkeypatch.setenv(DRAFTS_ENV, "1")  # a build never publishes drafts, whatever the env
    mkdocs_build(project / "mkdocs.yml", tmp_path / "built")
    assert (tmp_path / "built" / "statements" / GRAIN).is_dir()
    assert not (tmp_path / "built" / "statements" / DRAFT_ID).exists()


def test_briefing_serve_drafts_sets_the_switch_for_its_mkdocs_serve(
    builds: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import mkdocs.commands.serve

    project, _, _ = builds
    seen: list[str | None] = []
    monkeypatch.setattr(
        mkdocs.commands.serve, "serve", lambda **kwargs: seen.append(os.environ.get(DRAFTS_ENV))
    )
    monkeypatch.setenv(DRAFTS_ENV, "1")  # exported by someone: plain `serve` still hides them
    config = str(project / "mkdocs.yml")
    assert cli.main(["serve", "-f", config]) == 0
    assert cli.main(["serve", "--drafts", "-f", config]) == 0
    assert seen == [None, "1"]
    assert os.environ.get(DRAFTS_ENV) == "1"  # as it was before
    monkeypatch.delenv(DRAFTS_ENV)
    with drafts_shown(True):
        assert os.environ.get(DRAFTS_ENV) == "1"
    assert DRAFTS_ENV not in os.environ


# --- TODOs in published records ------------------------------------------------------------


def test_a_todo_in_a_published_record_fails_the_publishing_builds(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_project(tmp_path / "project")
    project = config.parent
    path = add_draft(project / "content")
    path.write_text(DRAFT.replace("status: draft", "status: published"), encoding="utf-8")
    run = briefing("build", "--site-dir", "out", cwd=project)
    assert run.code == 1
    first = where(path, QUOTED_TODO, project)
    second = where(path, QUOTED_TODO, project, occurrence=2)
    for place in (first, second):
        assert f"{place}: error: placeholder text left in a published record" in run.err
    assert "hint: finish the text, or mark the statement `status: draft`" in run.err
    assert "2 error(s); the site was not built." in run.err
    assert "Traceback" not in run.err and not (project / "out").exists()
    # Plain `mkdocs build` (the plugin's "build") too, with the same places.
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        mkdocs_build(config, tmp_path / "plain")
    assert "2 problem(s) in the records" in caplog.text
    for place in (first, second):
        # Shown from the working folder of the tests, so as the path ends.
        assert f"{place.removeprefix('content/')}: error: placeholder text" in caplog.text
    caplog.clear()
    # A preview only says so, and shows the statement.
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.briefing"):
        _serve_build(config, tmp_path / "preview")
    assert "placeholder text left in the record" in caplog.text
    assert (tmp_path / "preview" / "statements" / DRAFT_ID / "index.html").is_file()


# --- `briefing drafts` -------------------------------------------------------------------------


def test_briefing_drafts_lists_drafts_and_unfinished_records(repo: Path) -> None:
    content = repo / "content"
    draft = _unfinished_draft(content)
    done = content / "statements" / "2023" / "done-2023-05-04.yml"
    done_text = (
        (content / STATEMENT)
        .read_text("utf-8")
        .replace("ivan-petrov-remarks-2023-05-01", "done-2023-05-04")
    )
    done.write_text("status: draft\n" + done_text.replace("2023-05-01", "2023-05-04"), "utf-8")
    person = content / PERSON
    person.write_text(person.read_text("utf-8") + "description: TODO who he is\n", "utf-8")
    run = briefing("drafts", cwd=repo)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    rel = draft.relative_to(repo).as_posix()
    assert lines[0] == "2 draft statement(s), left out of the built site:"
    # In the records' order (by file name).
    done_rel = done.relative_to(repo).as_posix()
    assert lines[1] == f"  {done_rel} (id: done-2023-05-04): no TODOs: set `status: published`"
    assert lines[2] == f"  {rel} (id: draft-2023-05-03): 1 TODO(s)"
    assert lines[3] == f"    {where(draft, QUOTED_TODO, repo)}: TODO: x"
    assert lines[4] == ""
    assert lines[5] == "1 published record(s) with TODOs; `briefing build` fails on them:"
    assert lines[6] == f"  {where(person, 'TODO', repo)}: TODO who he is"
    # An explicit folder, and an archive with nothing left to do.
    draft.unlink()
    done.unlink()
    person.write_text(person.read_text("utf-8").replace("description: TODO who he is\n", ""))
    run = briefing("drafts", "content", cwd=repo)
    assert (run.code, run.out) == (0, "no draft statements\n")
    run = briefing("drafts", "nowhere", cwd=repo)
    assert (run.code, run.err) == (1, "error: nowhere: the content folder does not exist\n")
