"""A builder without the plugin builds the same site from `briefing generate --project`.

Zensical (0.0.73, pinned in requirements-test.txt) reads mkdocs.yml but runs no MkDocs
plugin and reports no error for it. From the project `generate --project` writes it builds
every page the MkDocs build has, with the same content, the same feeds, downloads and
schemas, the theme overrides and the Pagefind search bundle; and `briefing check-site`
fails loudly where a builder skipped something. The search itself is tested in Chromium
(tests/browser/test_bundled_archive_zensical_search.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _site_support import make_project
from conftest import ROOT, briefing
from test_builders import build_with, files_of

from generator.cli import main
from generator.cli.site_check import check_site


def run_zensical(project: Path) -> subprocess.CompletedProcess[str]:
    """`zensical build` in `project`, which gets its site/ (and Zensical's .cache/)."""
    return subprocess.run(
        [sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("neutral") / "project"
    run = briefing("generate", "--project", "--out", str(out), cwd=ROOT)
    assert run.code == 0, run.err
    return out


@pytest.fixture(scope="module")
def zensical_site(project: Path) -> Path:
    proc = run_zensical(project)
    assert proc.returncode == 0, (
        f"zensical build failed (is it installed? `bash scripts/setup.sh test` installs it):"
        f"\n{proc.stdout}\n{proc.stderr}"
    )
    return project / "site"


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_with("mkdocs", tmp_path_factory.mktemp("mkdocs") / "site")


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def article(html: str) -> list[str]:
    """A page's content (its <article>) less what names the builder or its features.

    Removed: Zensical's skip-link target, the `data-search-exclude` attributes its own
    search consumes, and the theme's edit button, which the project leaves out because
    the pages' sources exist only there.
    """
    match = re.search(r"<article[^>]*>(.*?)</article>", html, re.S)
    assert match, "no <article> in the page"
    text = match.group(1).replace(' data-search-exclude=""', "").replace(" data-search-exclude", "")
    text = text.replace('<a id="__skip" tabindex="-1"></a>', "")
    text = re.sub(r'<a href="[^"]*" title="Edit this page".*?</a>', "", text, flags=re.S)
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_zensical_builds_every_page_of_the_mkdocs_build_and_the_search_page(
    zensical_site: Path, mkdocs_site: Path
) -> None:
    expected = html_pages(mkdocs_site) | {"search/index.html"}
    assert html_pages(zensical_site) == expected
    statements = [p for p in expected if re.fullmatch(r"statements/[^/]+/index\.html", p)]
    published = json.loads((mkdocs_site / "data" / "statements.json").read_text("utf-8"))
    assert len(statements) == len(published) > 0


def test_zensical_pages_have_the_content_of_the_mkdocs_pages(
    zensical_site: Path, mkdocs_site: Path
) -> None:
    for page in sorted(html_pages(mkdocs_site)):
        ours = article((mkdocs_site / page).read_text("utf-8"))
        theirs = article((zensical_site / page).read_text("utf-8"))
        assert theirs == ours, f"{page} has other content in the Zensical build"


def test_statement_pages_built_by_zensical_carry_the_citation_metadata(
    zensical_site: Path, mkdocs_site: Path
) -> None:
    # Every tag the statement pages carry for reference managers and link previews, and
    # their JSON-LD: the plugin's build and Zensical's have the same, in the same order.
    tag = re.compile(
        r'<meta (?:name|property)="(?:description|citation_[a-z_]+|og:[a-z_]+|article:[a-z_]+'
        r'|twitter:[a-z]+)" content="[^"]*">|<script type="application/ld\+json">.*?</script>'
    )

    def head_tags(site: Path, page: str) -> list[str]:
        head = (site / page).read_text("utf-8").split("</head>")[0]
        return tag.findall(head)

    statements = sorted(p for p in html_pages(mkdocs_site) if p.startswith("statements/"))
    assert statements
    for page in statements:
        ours = head_tags(mkdocs_site, page)
        for name in ("citation_title", "og:title", "twitter:card", "application/ld+json"):
            assert any(name in found for found in ours), (page, name)
        assert head_tags(zensical_site, page) == ours, page


def test_feeds_downloads_and_schemas_are_the_bytes_the_plugin_writes(
    zensical_site: Path, mkdocs_site: Path
) -> None:
    ours = files_of(mkdocs_site)
    data = [p for p in ours if p.endswith(("feed.xml", ".json", ".csv")) and "search" not in p]
    assert "data/statements.json" in data and "feed.xml" in data
    assert any(p.startswith("schema/") for p in data)
    for path in data:
        assert (zensical_site / path).read_bytes() == ours[path], path


def test_the_theme_overrides_and_the_search_bundle_reach_the_zensical_site(
    zensical_site: Path,
) -> None:
    actor = (zensical_site / "actors" / "vladimir-putin" / "index.html").read_text("utf-8")
    assert 'type="application/atom+xml"' in actor  # the tool's main.html
    assert "assets/stylesheets/briefing.css" in actor
    assert (zensical_site / "assets" / "stylesheets" / "briefing.css").is_file()
    assert (zensical_site / "pagefind" / "shards.json").is_file()
    assert list((zensical_site / "pagefind").glob("*/pagefind.js"))


def test_check_site_passes_the_zensical_build(project: Path, zensical_site: Path) -> None:
    run = briefing("check-site", str(project), cwd=ROOT)
    assert run.code == 0, run.err
    pages = len(list((project / "docs").rglob("*.md")))
    assert f"site complete: {pages} pages" in run.out


def test_plain_mkdocs_builds_the_project_strictly_into_a_complete_site(
    project: Path, tmp_path: Path
) -> None:
    """The project needs no plugin at all: MkDocs without it builds the same site."""
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    report = check_site(project, site)
    assert report.problems == []
    assert report.pages == len(list((project / "docs").rglob("*.md")))


def test_zensical_skips_the_plugin_silently_and_check_site_fails_loudly(
    project: Path, tmp_path: Path
) -> None:
    # The archive as it is, built by Zensical straight from its mkdocs.yml: the plugin is
    # ignored, and Zensical still exits 0.
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("docs", "content"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    proc = run_zensical(repo)
    assert proc.returncode == 0, proc.stderr
    assert "error" not in (proc.stdout + proc.stderr).lower()
    run = briefing("check-site", str(project), "--site", str(repo / "site"), cwd=ROOT)
    assert run.code == 1
    assert "the site is incomplete" in run.err
    assert re.search(r"statements/[^/]+/index\.html: missing", run.err)
    assert "data/statements.json: missing" in run.err


def test_check_site_lists_every_problem_at_once(project: Path, zensical_site: Path) -> None:
    site = project.parent / "damaged"
    shutil.copytree(zensical_site, site)
    statement = next(site.glob("statements/*/index.html"))
    statement.unlink()
    (site / "data" / "statements.json").write_text("[]\n", encoding="utf-8")
    actor = site / "actors" / "vladimir-putin" / "index.html"
    html = actor.read_text("utf-8")
    actor.write_text(re.sub(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', "", html))
    report = check_site(project, site)
    found = "\n".join(report.problems)
    assert len(report.problems) == 3, found
    assert f"{statement}: missing" in found
    assert f"{site / 'data' / 'statements.json'}: differs" in found
    assert f"{actor}: no Atom feed link" in found


# --- the project folder itself, for the mini fixture archive (no builder needed) ----------
@pytest.fixture
def mini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the mini fixture records; the current folder is its root."""
    make_project(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def test_a_second_run_rewrites_nothing_and_a_removed_record_leaves_the_project(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = mini.parent / "project"
    assert main(["generate", "--project", "--out", str(out)]) == 0
    page = out / "docs" / "statements" / "li-wei-river-treaty-interview-2023-11-02" / "index.md"
    assert page.is_file() and (out / "docs" / "pagefind" / "shards.json").is_file()
    capsys.readouterr()
    assert main(["generate", "--project", "--out", str(out)]) == 0
    assert ": 0 changed," in capsys.readouterr().err  # the search bundle is the same bytes too
    (mini / "content/statements/2023/li-wei-river-treaty-interview-2023-11-02.yml").unlink()
    assert main(["generate", "--project", "--out", str(out)]) == 0
    assert not page.exists()
    assert (
        "li-wei-river-treaty-interview-2023-11-02"
        not in (out / "docs/data/statements.json").read_text()
    )


def test_the_archive_s_own_theme_overrides_win_over_the_tool_s(mini: Path) -> None:
    (mini / "mine").mkdir()
    (mini / "mine" / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    config = mini / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "  name: material\n", "  name: material\n  custom_dir: mine\n"
        ),
        encoding="utf-8",
    )
    out = mini.parent / "project"
    assert main(["generate", "--project", "--out", str(out)]) == 0
    assert (out / "overrides" / "main.html").read_text("utf-8") == '{% extends "base.html" %}\n'
    assert (out / "overrides" / "assets" / "stylesheets" / "briefing.css").is_file()
    # The lean pages' palette script is a template only the plugin renders (for its lean
    # pages, which a project without it has not): not copied as raw Jinja.
    assert not (out / "overrides" / "assets" / "javascripts" / "briefing-palette.js").exists()
    assert "custom_dir: overrides" in (out / "mkdocs.yml").read_text("utf-8")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        pytest.param(
            lambda repo: (repo / "docs" / "feed.xml").write_text("<feed/>", encoding="utf-8"),
            "feed.xml has the path of a generated file",
            id="a-docs-file-at-a-generated-path",
        ),
        pytest.param(
            lambda repo: (repo / "mkdocs.yml").write_text("site_name: Plain\n", encoding="utf-8"),
            "--project needs an mkdocs.yml with the briefing plugin",
            id="no-plugin",
        ),
    ],
)
def test_a_project_that_cannot_be_made_is_refused_and_nothing_is_written(
    mini: Path, capsys: pytest.CaptureFixture[str], setup: Any, message: str
) -> None:
    setup(mini)
    out = mini.parent / "project"
    assert main(["generate", "--project", "--out", str(out), "content"]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_project_inside_docs_dir_is_refused(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--project", "--out", "docs/project"]) == 1
    assert "inside docs_dir" in capsys.readouterr().err
    assert not (mini / "docs" / "project").exists()
