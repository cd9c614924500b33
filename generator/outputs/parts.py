"""What the outputs put into pages, composed once for the renderer (`render.PageParts`).

Pages sit below outputs in the import layers (pyproject.toml), so the renderer does not
import citations, feeds, downloads or charts: whoever renders pages (the MkDocs session,
`briefing generate`, the tests' helpers) passes it these in `Options.parts`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence

from generator.outputs import charts, citations, downloads, feeds, metadata
from generator.pages.render import PageParts
from generator.records.model import Statement

#: The data downloads the home page lists: (file, site-relative URL, what it holds).
HOME_DOWNLOADS: tuple[tuple[str, str, str], ...] = (
    (
        "statements.json",
        downloads.DOWNLOADS["statements_json"],
        "every statement, sources resolved",
    ),
    ("statements.csv", downloads.DOWNLOADS["statements_csv"], "every statement, one row each"),
    ("actors.json", downloads.DOWNLOADS["actors_json"], "every actor, with names and roles"),
    ("topics.json", downloads.DOWNLOADS["topics_json"], "every topic"),
    ("briefings.json", downloads.DOWNLOADS["briefings_json"], "every briefing, with its text"),
)


def timeline_svg(statements: Sequence[Statement], label: str) -> str:
    """An actor's page chart: its statements over time, styled by the site's stylesheet."""
    # Bars are not linked: an SVG with role="img" has presentational children, so links
    # inside it would be unreachable to screen readers (axe: nested-interactive). The
    # page lists the same periods as text links.
    return charts.actor_timeline_svg(statements, label=label, inline_style=False)


def heatmap_svg(counts: Mapping[dt.date, int], year: int) -> str:
    """The dates page's chart of one year, styled by the site's stylesheet."""
    return charts.calendar_heatmap_svg(year, counts, inline_style=False)


@functools.cache
def page_parts() -> PageParts:
    """Citations, feed links, the downloads table and charts, as the renderer takes them."""
    return PageParts(
        citations=citations.citations,
        statement_meta=metadata.statement_meta,
        feed_link=feeds.feed_link,
        downloads=HOME_DOWNLOADS,
        schemas=tuple(downloads.SCHEMA_DIR + name for name in downloads.schema_files()),
        archive_feed_url=feeds.archive_feed_url(),
        timeline_svg=timeline_svg,
        heatmap_svg=heatmap_svg,
    )


__all__ = ["HOME_DOWNLOADS", "heatmap_svg", "page_parts", "timeline_svg"]
