"""A built site is measured against what static hosts accept, and the build says so."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from _site_support import make_project

from generator.mkdocs import hosts
from generator.mkdocs.run import run_build


def _tree(root: Path, files: dict[str, int]) -> Path:
    for rel, size in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            f.truncate(size)  # sparse: the apparent size is what hosts count
    return root


def test_a_site_is_measured_in_bytes_files_folders_and_its_largest_file(tmp_path: Path) -> None:
    site = _tree(tmp_path / "site", {"index.html": 10, "a/b/page.html": 300, "a/feed.xml": 7})
    size = hosts.measure(site)
    assert (size.bytes, size.files, size.folders) == (317, 3, 2)
    assert (size.largest, size.largest_path) == (300, "a/b/page.html")


def test_the_largest_file_is_named_the_same_way_every_time(tmp_path: Path) -> None:
    site = _tree(tmp_path / "site", {"z.html": 5, "b/y.html": 5, "a.html": 5})
    assert hosts.measure(site).largest_path == "a.html"


def test_a_symlinked_folder_is_not_counted_twice(tmp_path: Path) -> None:
    site = _tree(tmp_path / "site", {"real/page.html": 100})
    os.symlink(site / "real", site / "alias")
    size = hosts.measure(site)
    assert size.files == 1 and size.bytes == 100


def test_a_site_within_every_limit_gets_no_warning(tmp_path: Path) -> None:
    size = hosts.measure(_tree(tmp_path / "site", {"index.html": 1000}))
    assert hosts.over_limits(size) == []


def test_each_limit_exceeded_is_one_warning_with_its_figures() -> None:
    big = hosts.SiteSize(
        bytes=1_300_000_000, files=180_000, folders=30_000, largest=30 * hosts.MiB,
        largest_path="data/statements.json",
    )  # fmt: skip
    warnings = hosts.over_limits(big)
    assert len(warnings) == 4, warnings
    github, gitlab_bytes, gitlab_entries, cloudflare = warnings
    assert github.startswith("GitHub Pages may refuse this site: 1.30 GB; the limit is 1.00 GB")
    # GitHub's limit is documented, but its deploy action checks the compressed upload only.
    assert "deploy action checks only the compressed upload, against 1 GiB." in github
    assert gitlab_bytes.startswith("GitLab Pages would refuse this site: 1.30 GB")
    assert "180,000 files and 30,000 folders; the limit is 200,000 entries" in gitlab_entries
    assert "data/statements.json is 30.0 MiB; the limit is 25.0 MiB" in cloudflare
    assert all("https://" in w for w in warnings)


def test_exactly_at_a_limit_is_still_accepted() -> None:
    at = hosts.SiteSize(
        bytes=hosts.GB, files=199_999, folders=1, largest=25 * hosts.MiB, largest_path="x"
    )
    assert hosts.over_limits(at) == []


def test_briefing_build_reports_the_size_of_the_site_it_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_project(tmp_path / "project")
    site = tmp_path / "project" / "site"
    assert run_build(config, site) == 0
    err = capsys.readouterr().err
    size = hosts.measure(site)
    assert size.summary() in err
    assert re.search(r"site: [\d.]+ (KiB|MiB) in [\d,]+ files; largest file ", err)
    assert "warning:" not in err


def test_briefing_build_warns_when_a_host_would_refuse_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_project(tmp_path / "project")
    # A file the archive publishes as it is (MkDocs copies docs/ files into the site).
    _tree(tmp_path / "project" / "docs", {"recordings/hearing.mp4": 26 * hosts.MiB})
    assert run_build(config, tmp_path / "project" / "site") == 0
    err = capsys.readouterr().err
    assert (
        "warning: Cloudflare Pages would refuse this site: recordings/hearing.mp4 is 26.0 MiB; "
        "the limit is 25.0 MiB"
    ) in err
    assert "GitHub Pages" not in err
