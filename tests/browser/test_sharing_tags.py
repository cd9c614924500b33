"""In Chromium: what a link preview reads from a statement page (Open Graph, X's card type,
the page's description).

The tags are read from the live page's DOM, as a preview service or a browser extension
reads them: the statement's title, its summary, the archive's name and the permalink, each
once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .conftest import ROOT, Archive, quoted_statement

READ_TAGS = """() => Object.fromEntries(
  [...document.head.querySelectorAll('meta[property^="og:"], meta[name^="twitter:"]')]
    .map(m => [m.getAttribute('property') || m.getAttribute('name'), m.content]))"""


def _record(statement_id: str) -> dict[str, Any]:
    content = ROOT / "tests" / "fixtures" / "mini" / "content" / "statements"
    (path,) = Path(content).rglob(f"{statement_id}.yml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_a_statement_page_tells_a_link_preview_its_title_summary_and_permalink(
    page: Any, base_url: str, archive: Archive
) -> None:
    statement = quoted_statement(archive)
    record = _record(statement.id)
    page.goto(statement.path)
    tags = page.evaluate(READ_TAGS)
    assert tags["og:type"] == "article"
    assert tags["og:title"] == " ".join(record["title"].split())
    assert tags["og:site_name"] == "Briefing Archive"
    assert tags["og:url"].endswith(statement.path)
    # The summary is the page's description, which link previews read when og:description
    # is absent: no og:description repeats it.
    description = page.locator('head meta[name="description"]').get_attribute("content")
    assert description == " ".join(record["summary"].split())
    # An X card of the summary kind, whose title X reads from og:title: no twitter:title
    # repeats it.
    assert tags["twitter:card"] == "summary"
    assert set(tags) == {
        "og:type", "og:title", "og:site_name", "og:url", "twitter:card"
    }  # fmt: skip
