"""What the outputs put into pages, composed once for the renderer (`options.PageParts`).

Pages sit below outputs in the import layers (pyproject.toml), so the renderer does not
import citations, feeds, downloads or charts: whoever renders pages (the MkDocs session,
`briefing generate`, the tests' helpers) passes it these in `Options.parts`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.outputs import (
    charts,
    citations,
    data_index,
    data_schemas,
    downloads,
    feeds,
    metadata,
    statement_files,
)
from generator.pages.options import PageParts
from generator.records.model import Archive, Statement

#: The single-file downloads the home page lists after the statements': (file, URL, what).
RECORD_DOWNLOADS: tuple[tuple[str, str, str], ...] = (
    ("actors.json", downloads.DOWNLOADS["actors_json"], "every actor, with names and roles"),
    ("topics.json", downloads.DOWNLOADS["topics_json"], "every topic"),
    ("briefings.json", downloads.DOWNLOADS["briefings_json"], "every briefing, with its text"),
)


@dataclass(frozen=True, slots=True)
class HomeDownloads:
    """The data downloads the home page lists: what data_index.every_download publishes for
    the archive."""

    #: The index and the whole statements files: (file, site-relative URL, what it holds).
    statements: tuple[tuple[str, str, str], ...]
    #: The per-year files: (year, gzipped JSON URL, CSV URL), oldest first.
    years: tuple[tuple[int, str, str], ...]
    #: Actors, topics and briefings: as `statements`.
    records: tuple[tuple[str, str, str], ...] = RECORD_DOWNLOADS


def home_downloads(
    archive: Archive, site_url: str | None, whole: tuple[str, ...] | None = None
) -> HomeDownloads:
    """What the home page lists for `archive`: the whole statements files only where
    statement_files.py publishes them: `whole`, the formats whose whole file the build
    wrote (statement_files.published_whole), else measured (`whole_files`)."""
    if whole is None:
        whole = statement_files.whole_files(archive, site_url)
    rows = [
        (
            "index.json",
            data_index.INDEX,
            "the data files below, each with its records, size, SHA-256 and schema",
        )
    ]
    for extension in ("json", "csv"):
        if extension in whole:
            path = downloads.DOWNLOADS[f"statements_{extension}"]
            rows.append((path.rsplit("/", 1)[1], path, f"every statement, {_WHAT[extension]}"))
    for extension in ("json", "csv"):
        path = downloads.DOWNLOADS[f"statements_{extension}"] + ".gz"
        what = f"every statement in one gzipped file, {_WHAT[extension]}"
        rows.append((path.rsplit("/", 1)[1], path, what))
    years = sorted({s.date.year for s in archive.statements.values()})
    return HomeDownloads(
        statements=tuple(rows),
        years=tuple(
            (y, statement_files.year_path(y, "json"), statement_files.year_path(y, "csv"))
            for y in years
        ),
    )


_WHAT = {"json": "sources resolved", "csv": "one row each"}


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
def page_parts(whole: tuple[str, ...] | None = None) -> PageParts:
    """Citations, feed links, the downloads table and charts, as the renderer takes them.

    `whole`: the formats whose whole statements file the build has written already, for
    the home page to list without measuring them again (None: it measures). One object per
    value, so that options built with the same parts compare equal (`serve` reuses pages
    whose options are unchanged).
    """
    listed = home_downloads if whole is None else functools.partial(home_downloads, whole=whole)
    return PageParts(
        citations=citations.citations,
        statement_meta=metadata.statement_meta,
        feed_link=feeds.feed_link,
        downloads=listed,
        schemas=tuple(downloads.SCHEMA_DIR + name for name in data_schemas.schema_files()),
        archive_feed_url=feeds.archive_feed_url(),
        timeline_svg=timeline_svg,
        heatmap_svg=heatmap_svg,
    )


__all__ = [
    "RECORD_DOWNLOADS",
    "HomeDownloads",
    "heatmap_svg",
    "home_downloads",
    "page_parts",
    "timeline_svg",
]
