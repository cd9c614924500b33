"""The Nu Html Checker (vnu.jar, the W3C's validator) on every page of a real build.

The mini fixture has every kind of generated page (home, sections, actor, year, month, day,
topic, briefing, publisher, statement, paging) and the hand-written ones (the bundled
archive's site: test_bundled_archive_html.py). The checker comes
from npm (tests/browser/package.json; `npm ci --prefix tests/browser`) and runs on Java.
Without either the test skips, unless BRIEFING_REQUIRE_BROWSER=1 (CI), where it fails.

One error is known, and it is Material's (its header's checkbox toggles), not the templates';
it is matched exactly, so anything else fails the test. The hostile fixture's source URL, with
`"` and `<` in it, is checked like any other page: its href is percent-encoded.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from _site_support import REPO, make_project
from lxml import html

from generator.mkdocs.run import run_build

VNU = REPO / "tests" / "browser" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _known(message: dict[str, str]) -> bool:
    text, extract = message["message"], message.get("extract", "")
    # Material's own header and search toggles: <input type="checkbox" autocomplete="off">
    # (theme base.html), which Firefox needs to not restore their state on reload.
    if not text.startswith("Attribute “autocomplete” is only allowed when the input type is"):
        return False
    return 'type="checkbox"' in extract and ("md-toggle" in extract or "md-option" in extract)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    config = make_project(root)
    out = root / "site"
    assert run_build(config, out) == 0
    return out


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html"))


def _checker_errors(site: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The checker's errors on every page of `site` that `_known` does not name, and all."""
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        reason = "java or vnu.jar is missing; run: npm ci --prefix tests/browser"
        if os.environ.get("BRIEFING_REQUIRE_BROWSER", "") not in ("", "0"):
            pytest.fail(reason)
        pytest.skip(reason)
    rel = [p.relative_to(site).as_posix() for p in _pages(site)]
    assert {"dates/index.html", "index.html", "actors/index.html"} <= set(rel)
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *rel],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = []
    for m in messages:
        page = m.get("url", "").removeprefix("file:" + str(site) + "/")
        if not _known(m):
            errors.append(f"{page}:{m.get('lastLine')}: {m['message']}")
    return errors, messages


def test_the_nu_html_checker_finds_no_error_of_ours(site: Path) -> None:
    assert {"dates/2024/index.html", "dates/2024/03/index.html"} <= {
        p.relative_to(site).as_posix() for p in _pages(site)
    }
    errors, messages = _checker_errors(site)
    assert errors == []
    # The known ones are still there: if Material or the fixture changes, say so here.
    assert any("autocomplete" in m["message"] for m in messages)


def test_headings_never_skip_a_level_on_any_page(site: Path) -> None:
    # What the checker's "skipping a heading level" error says, checked without Java.
    for path in _pages(site):
        doc = html.fromstring(path.read_bytes())
        (article,) = doc.xpath("//article") or [doc]
        levels = [int(h.tag[1]) for h in article.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (path.relative_to(site).as_posix(), levels)
