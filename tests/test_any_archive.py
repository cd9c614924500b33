"""The tool's tests don't depend on the archive in content/: the repository is a template too.

Whoever starts an archive of their own replaces content/. Then the tests of the bundled archive
(tests/test_bundled_archive*.py, tests/browser/test_bundled_archive*.py) skip, saying why, and
every other test passes, because it reads the fixture archives, never content/. Checked two
ways: no test outside those files joins the repository root with "content"; and a copy of the
repository whose content/ is the mini fixture archive runs the bundled archive's tests (which
must all skip) and the tests that used to read content/ (which must pass).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from _site_support import FIXTURE_CONTENT
from conftest import BUNDLED_BRIEFING, ROOT

TESTS = ROOT / "tests"
BUNDLED_FILE = re.compile(r"^test_bundled_archive\w*\.py$")
# The repository root (ROOT or REPO in the tests) joined with "content": its own archive.
REPO_CONTENT = re.compile(r"\b(?:ROOT|REPO)\s*/\s*[\"']content[\"']")
# What the tests below read of the repository (not content/, not build output or caches).
COPIED = [
    "generator", "tests", "docs", "mkdocs.yml", "pyproject.toml",
    ".editorconfig", ".github", ".pre-commit-config.yaml", ".vscode",
]  # fmt: skip
CACHES = shutil.ignore_patterns("__pycache__", "node_modules", ".hypothesis", ".pytest_cache")
# The tests of the bundled archive, and the tests that read content/ before they moved to the
# fixture archives (the slow property tests of those files, which never did, are left out).
SUBSET = [
    "tests/test_bundled_archive.py",
    "tests/test_bundled_archive_reuse.py",
    "tests/browser/test_bundled_archive_search.py",
    "tests/test_charts.py",
    "tests/test_cite.py",
    "tests/test_exports.py",
    "tests/test_feeds.py",
    "tests/test_hostile_site.py::test_no_markup_from_records_in_any_page",
    "tests/test_load_fast.py",
    "tests/test_publishing.py",
    "tests/test_tooling.py::test_every_fixture_record_gets_exactly_one_schema",
    "tests/test_tooling.py::test_yaml_files_follow_the_editorconfig",
    "--deselect=tests/test_load_fast.py::test_generated_block_yaml_agrees",
    "--deselect=tests/test_cite.py::test_csl_json_is_the_item_one_field_to_a_line",
]
SKIP_LINE = re.compile(r"^SKIPPED \[\d+\] (\S+?):\d+: (.*)$")


def test_only_the_bundled_archive_tests_read_content() -> None:
    readers = [
        path.relative_to(ROOT).as_posix()
        for path in sorted(TESTS.rglob("*.py"))
        if "node_modules" not in path.parts
        and not BUNDLED_FILE.match(path.name)
        and REPO_CONTENT.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == [], "tests of the tool that read the repository's content/"
    assert REPO_CONTENT.search("CONTENT = ROOT / " + '"content"')  # the pattern does match


def _copy_with_another_archive(dest: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=CACHES)
        else:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    shutil.copytree(FIXTURE_CONTENT, dest / "content")


def test_tests_pass_with_another_archive_in_content(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    _copy_with_another_archive(copy)
    assert not (copy / BUNDLED_BRIEFING).exists()
    env = {**os.environ, "PYTHONPATH": str(copy)}
    env.pop("BRIEFING_REQUIRE_BROWSER", None)  # the one browser file skips before a browser
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"),
            f"--basetemp={tmp_path / 'basetemp'}",
            *SUBSET,
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    summary = out.strip().splitlines()[-1]
    assert re.search(r"\d+ passed, \d+ skipped", summary), summary
    assert " failed" not in summary and " error" not in summary, summary
    skips = [m.groups() for m in map(SKIP_LINE.match, out.splitlines()) if m]
    assert {Path(where).name for where, _ in skips} == {
        "test_bundled_archive.py",
        "test_bundled_archive_reuse.py",
        "test_bundled_archive_search.py",
    }, out
    reason = (
        f"content/ is not the bundled seed-briefing archive ({BUNDLED_BRIEFING} is missing); "
        "these tests check its transcription"
    )
    assert {why for _, why in skips} == {reason}, out
