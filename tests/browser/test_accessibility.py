"""Accessibility: axe-core (pinned in tests/browser/package.json) on one page of each kind.

axe.min.js is injected into the loaded page and run on the whole document; a violation of
impact "serious" or "critical" fails the test, with each rule id and the elements it hit.
Lesser violations are printed (visible with -s or in the failure output) but do not fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.pages.urls import publisher_slug

from .conftest import CONTENT, Archive, pages_of_each_kind

BLOCKING = {"serious", "critical"}


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation: impact, rule id, help text, then the CSS targets it hit."""
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"]]
        more = f" (+{len(targets) - 8} more)" if len(targets) > 8 else ""
        shown = ", ".join(targets[:8]) + more
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} -> {shown}")
    return "\n".join(lines)


def _first_briefing() -> tuple[str, str]:
    """The id and publisher of the first briefing record of the site's records (CONTENT)."""
    record = sorted((CONTENT / "briefings").glob("*.yml"))[0]
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    return str(data["id"]), str(data["publisher"])


@pytest.mark.parametrize("kind", ["home", "actor", "day", "statement"])
def test_axe_finds_no_serious_violations(
    page: Any, archive: Archive, axe_js: Path, kind: str
) -> None:
    """axe-core reports no serious or critical violation on the home/actor/day/statement page."""
    _check(page, axe_js, pages_of_each_kind(archive)[kind])


@pytest.mark.parametrize("kind", ["dates", "year", "briefing", "publishers", "publisher"])
def test_axe_on_the_charts_briefing_and_publisher_pages(
    page: Any, archive: Archive, axe_js: Path, kind: str
) -> None:
    """The same on /dates/, a year's page (its heatmap), a briefing, /publishers/ and a
    publisher's page."""
    briefing, publisher = _first_briefing()
    year = archive.days()[0].year
    path = {
        "dates": "/dates/",
        "year": f"/dates/{year}/",
        "briefing": f"/briefings/{briefing}/",
        "publishers": "/publishers/",
        "publisher": f"/publishers/{publisher_slug(publisher)}/",
    }[kind]
    _check(page, axe_js, path)


def _check(page: Any, axe_js: Path, path: str) -> None:
    response = page.goto(path, wait_until="load")
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    page.add_script_tag(path=str(axe_js))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations: list[dict[str, Any]] = results["violations"]
    if violations:
        print(f"axe on {path}:\n{describe(violations)}")
    blocking = [v for v in violations if v.get("impact") in BLOCKING]
    assert not blocking, f"axe on {path}: serious/critical violations:\n{describe(blocking)}"
