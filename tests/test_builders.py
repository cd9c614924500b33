"""The archive builds the same with ProperDocs as with MkDocs.

MkDocs 1.6.1 is the last 1.x release and Material for MkDocs reaches end of life on
2027-05-05; ProperDocs, the maintained fork of MkDocs 1.6, runs the `briefing` plugin
unchanged. Both build this repository's archive (content/ and mkdocs.yml as shipped), and
the two sites must hold the same files, byte for byte, apart from the `generator` meta tag
that names the builder. A builder that is not installed fails these tests: CI installs
both (`bash scripts/setup.sh test`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

#: The one line a page's builder changes: `<meta name="generator" content="mkdocs-1.6.1, …">`.
GENERATOR_META = re.compile(rb'<meta name="generator" content="([^"]*)">')


def build_with(tool: str, site: Path) -> Path:
    """`site`: the repository's archive built by `python -m <tool> build --strict`."""
    proc = subprocess.run(
        [sys.executable, "-m", tool, "build", "--strict", "-f", "mkdocs.yml", "-d", str(site)],
        cwd=ROOT,
        # One build date for every builder (the sitemap's <lastmod>, sitemap.xml.gz's header):
        # builds either side of midnight would otherwise differ there.
        env={**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"`{tool} build --strict` exited {proc.returncode} (is it installed? "
            f"`bash scripts/setup.sh test` installs it):\n{proc.stdout}\n{proc.stderr}",
            pytrace=False,
        )
    return site


def files_of(site: Path) -> dict[str, bytes]:
    """Every file of a built site by its site-relative path."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return files_of(build_with("mkdocs", tmp_path_factory.mktemp("mkdocs") / "site"))


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return files_of(build_with("properdocs", tmp_path_factory.mktemp("properdocs") / "site"))


def test_properdocs_builds_the_same_files_as_mkdocs(
    mkdocs_site: dict[str, bytes], properdocs_site: dict[str, bytes]
) -> None:
    assert sorted(properdocs_site) == sorted(mkdocs_site)


def test_properdocs_pages_differ_from_mkdocs_pages_only_in_the_generator_tag(
    mkdocs_site: dict[str, bytes], properdocs_site: dict[str, bytes]
) -> None:
    builders = set()
    for path, ours in mkdocs_site.items():
        theirs = properdocs_site.get(path)
        if theirs is None or theirs == ours:
            continue
        builders.update(GENERATOR_META.findall(ours) + GENERATOR_META.findall(theirs))
        assert GENERATOR_META.sub(b"", theirs) == GENERATOR_META.sub(b"", ours), (
            f"{path} differs between the MkDocs and the ProperDocs build beyond the generator tag"
        )
    # The pages did come from two builders (and so the comparison above compared something).
    assert any(b"ProperDocs" in name for name in builders), builders
    assert any(name.startswith(b"mkdocs-1.") for name in builders), builders


def test_properdocs_ran_the_plugin_for_every_statement(
    properdocs_site: dict[str, bytes],
) -> None:
    # statements.json and the pages are both the plugin's: one page for each statement.
    ids = {s["id"] for s in json.loads(properdocs_site["data/statements.json"])}
    assert ids, "the archive has no statements"
    pages = {
        path.split("/")[1]
        for path in properdocs_site
        if path.startswith("statements/") and path.endswith("/index.html") and path.count("/") == 2
    }
    assert pages == ids
    assert "feed.xml" in properdocs_site
    assert "assets/stylesheets/briefing.css" in properdocs_site  # the tool's theme overrides
