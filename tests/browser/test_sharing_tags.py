"""In Chromium: what a link preview reads from a statement page (Open Graph, X's card type).

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
    assert tags["og:description"] == " ".join(record["summary"].split())
    assert tags["og:site_name"] == "Briefing Archive"
    assert tags["og:url"].endswith(statement.path)
    # An X card of the summary kind, whose title and description X reads from og:title and
    # og:description: no twitter:title or twitter:description repeats them.
    assert tags["twitter:card"] == "summary"
    assert set(tags) == {
        "og:type", "og:title", "og:description", "og:site_name", "og:url", "twitter:card"
    }  # fmt: skip
