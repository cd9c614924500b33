"""The archive in shards: one Pagefind bundle per period, the manifest and the filter values.

One Pagefind bundle for the whole archive makes every query download metadata with one entry
per page, and makes one indexer process hold the whole archive. So the statements are split,
in date order, into shards of at most SHARD_SIZE statements, each its own bundle
(pagefind/<key>/) indexed by its own process. The search page searches the newest shard first
and an older one only when the reader asks for more; a year filter picks the shards.

Pure: no I/O, no MkDocs. `generator/search/indexer.py` indexes the shards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Final

from generator.pages import urls
from generator.records.kinds import statement_label
from generator.records.model import Archive
from generator.search.documents import record_documents
from generator.search.packs import pack_count

#: Where Pagefind's bundles go, relative to the site folder.
BUNDLE_DIR: Final = "pagefind"
#: Statements per shard at most (one year is cut when it holds more): it bounds both what a
#: query's first results download and the memory of one indexer process.
SHARD_SIZE: Final = 12_000
#: The manifest the search page reads first: the shards, newest first (see `shard_manifest`).
MANIFEST: Final = "shards.json"
#: The filter values for the search page's menus, fetched when the reader opens them.
FILTERS_FILE: Final = "filters.json"


@dataclass(frozen=True, slots=True)
class Shard:
    """One Pagefind bundle: the statements from `first` to `last`, and what goes with them."""

    key: str  # its folder under pagefind/
    label: str  # how the search page names the period: "2024", "2019–2021", or dates
    first: dt.date
    last: dt.date
    years: tuple[int, ...]
    statements: tuple[str, ...]  # statement ids, oldest first
    briefings: tuple[str, ...] = ()
    #: Actor and topic pages (undated) go with the newest shard, searched first.
    pages: bool = False
    #: How many lean documents the shard indexes (`shard_documents`): sets its pack count.
    documents: int = 0


def _split(lo: int, hi: int, size: int) -> list[tuple[int, int]]:
    """[lo, hi) cut into the fewest nearly equal runs of at most `size`, newest run first."""
    parts = -(-(hi - lo) // size)
    bounds = [lo + (hi - lo) * k // parts for k in range(parts + 1)]
    return [(bounds[k], bounds[k + 1]) for k in reversed(range(parts))]


def plan_shards(archive: Archive, size: int | None = None) -> list[Shard]:
    """The archive's shards, newest first; deterministic for the same records.

    Whole years are grouped, from the newest back, while a shard stays within `size`
    statements (default SHARD_SIZE); a year above `size` is cut into nearly equal runs by
    date. Briefings go with the shard of their date, actor and topic pages with the newest.
    """
    size = max(1, size or SHARD_SIZE)
    ordered = sorted(archive.statements.values(), key=lambda s: (s.date, s.id))
    years: dict[int, list[int]] = {}
    for index, statement in enumerate(ordered):
        years.setdefault(statement.date.year, []).append(index)
    runs: list[tuple[int, int, bool]] = []  # (lo, hi, whole years), newest first
    current: tuple[int, int] | None = None
    for year in sorted(years, reverse=True):
        lo, hi = years[year][0], years[year][-1] + 1
        if current is not None and current[1] - lo <= size:
            current = (lo, current[1])
            continue
        if current is not None:
            runs.append((*current, True))
            current = None
        if hi - lo <= size:
            current = (lo, hi)
        else:
            runs += [(a, b, False) for a, b in _split(lo, hi, size)]
    if current is not None:
        runs.append((*current, True))

    shards: list[Shard] = []
    keys: set[str] = set()
    for lo, hi, whole in runs:
        part = ordered[lo:hi]
        first, last = part[0].date, part[-1].date
        key = f"{first:%Y%m%d}-{last:%Y%m%d}"
        while key in keys:  # one day cut in two (more than `size` statements that day)
            key += "b"
        keys.add(key)
        if whole:
            label = str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
        elif first == last:
            label = urls.format_date(first)
        else:
            label = f"{urls.format_date(first)} – {urls.format_date(last)}"
        shards.append(
            Shard(
                key=key,
                label=label,
                first=first,
                last=last,
                years=tuple(sorted({s.date.year for s in part}, reverse=True)),
                statements=tuple(s.id for s in part),
            )
        )
    if not shards:
        # No statements: one shard for the actor, topic and briefing pages.
        epoch = dt.date(1970, 1, 1)
        shards.append(Shard("all", "All", epoch, epoch, (), ()))

    briefings: list[list[str]] = [[] for _ in shards]
    years_of = [set(shard.years) for shard in shards]
    for briefing in sorted(archive.briefings.values(), key=lambda b: b.id):
        # The newest shard that starts on or before its date, else the oldest shard; its
        # year joins the shard's, so that the year filter finds the briefing there.
        index = next(
            (i for i, shard in enumerate(shards) if shard.first <= briefing.published),
            len(shards) - 1,
        )
        briefings[index].append(briefing.id)
        years_of[index].add(briefing.published.year)
    return [
        replace(
            shard,
            briefings=tuple(briefings[i]),
            pages=i == 0,
            years=tuple(sorted(years_of[i], reverse=True)),
            documents=len(shard.statements)
            + len(briefings[i])
            + (len(archive.actors) + len(archive.topics) if i == 0 else 0),
        )
        for i, shard in enumerate(shards)
    ]


def shard_documents(shard: Shard, archive: Archive) -> dict[str, str]:
    """The lean documents of one shard by site-relative path (as `lean_documents`)."""
    return record_documents(archive, shard.statements, shard.briefings, shard.pages)


def shard_manifest(shards: Iterable[Shard]) -> dict[str, object]:
    """What the search page reads before the first query: each shard's folder and period.

    Newest first, the order the page searches them in; `years` lets a year filter pick
    shards without downloading anything else; `packs` is how many files its result
    fragments are packed into (`generator/search/packs.py`).
    """
    return {
        "version": 1,
        "shards": [
            {
                "path": f"{shard.key}/",
                "label": shard.label,
                "first": shard.first.isoformat(),
                "last": shard.last.isoformat(),
                "years": [str(year) for year in shard.years],
                "statements": len(shard.statements),
                "packs": pack_count(shard.documents),
            }
            for shard in shards
        ],
    }


def filter_values(archive: Archive) -> dict[str, list[str]]:
    """Each filter's values as the lean documents spell them, for the search page's menus.

    The page fetches these when the reader opens its filters, instead of Pagefind's filter
    data (every page of every value).
    """
    statements = archive.statements.values()
    kinds = {statement_label(s.kind) for s in statements}
    years = {f"{s.date.year:04d}" for s in statements}
    years |= {f"{b.published.year:04d}" for b in archive.briefings.values()}
    return {
        "year": sorted(years, reverse=True),
        "kind": sorted(kinds, key=_folded),
        "topic": sorted({t.title for t in archive.topics.values()}, key=_folded),
        "actor": sorted({a.name for a in archive.actors.values()}, key=_folded),
    }


def _folded(text: str) -> tuple[str, str]:
    # Case-insensitive order; the text itself breaks ties, so the order never depends on
    # the (randomised) iteration order of a set.
    return (text.casefold(), text)


__all__ = [
    "BUNDLE_DIR",
    "FILTERS_FILE",
    "MANIFEST",
    "SHARD_SIZE",
    "Shard",
    "filter_values",
    "plan_shards",
    "shard_documents",
    "shard_manifest",
]
