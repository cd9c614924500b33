"""The listing pages of each section: home, actors, topics, dates, briefings, publishers.

Each `*_pages` function makes a section's index page and the pages it lists, from the
groupings in `Index`; long listings are split into numbered pages by `paging.paginate`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from generator.pages.grouping import Index, group_by_day, neighbours
from generator.pages.models import GeneratedPage, Home
from generator.pages.paging import paged_listing, paginate, profile_pages
from generator.pages.urls import (
    MONTHS,
    actor_url,
    briefing_url,
    day_url,
    format_date,
    month_url,
    on_this_day_url,
    publisher_slug,
    publisher_url,
    publishers,
    topic_url,
    year_url,
)
from generator.records.kinds import ACTOR_KINDS
from generator.records.model import Actor, Archive, Briefing

#: Actors a page of the actors index lists (about 100 bytes of HTML each), so that a phone
#: loads it quickly. More actors continue on numbered pages (`actors/page/2/`).
ACTORS_PER_PAGE = 1000


def actor_index_pages(archive: Archive, index: Index) -> list[GeneratedPage]:
    """`actors/`: the actors by kind, then name, with their counts of statements.

    Past ACTORS_PER_PAGE actors the list continues on numbered pages, and each page names
    the range of every page (its first and last actor) so that any actor is one click away.
    """
    kinds = [*ACTOR_KINDS, *sorted({a.kind for a in archive.actors.values()} - set(ACTOR_KINDS))]
    order = {kind: i for i, kind in enumerate(kinds)}
    ordered = [
        (actor, len(index.by_actor.get(actor.id, ())))
        for actor in sorted(
            archive.actors.values(), key=lambda a: (order[a.kind], a.name.casefold(), a.id)
        )
    ]
    paged = paginate("actors/", ordered, ACTORS_PER_PAGE)
    ranges = tuple(
        (chunk[0][0], chunk[-1][0], pager.url) for pager, chunk in paged if pager.count > 1
    )
    pages = []
    for pager, chunk in paged:
        by_kind: dict[str, list[tuple[Actor, int]]] = {}
        for actor, n in chunk:
            by_kind.setdefault(actor.kind, []).append((actor, n))
        pages.append(
            GeneratedPage(
                url=pager.url,
                title=pager.title("Actors"),
                template="actors.md.j2",
                context={
                    "kinds": tuple((k, tuple(v)) for k, v in by_kind.items()),
                    "ranges": ranges,
                },
            )
        )
    return pages


def actor_pages(archive: Archive, index: Index, page_size: int) -> list[GeneratedPage]:
    """`actors/`, the actors by kind (`actor_index_pages`); `actors/<id>/` for each."""
    pages = actor_index_pages(archive, index)
    for actor in archive.actors.values():
        context = {
            "actor": actor,
            "topics": tuple(
                (archive.topics[t], n) for t, n in index.actor_topics.get(actor.id, ())
            ),
            "co_actors": tuple(
                (archive.actors[a], n)
                for a, n in index.co_actors.get(actor.id, ())
                if a in archive.actors
            ),
        }
        pages += profile_pages(
            actor_url(actor.id),
            actor.name,
            "actor.md.j2",
            index.by_actor.get(actor.id, ()),
            page_size,
            actor.path,
            context,
            feed=("actor", actor.id),
        )
    return pages


def topic_pages(archive: Archive, index: Index, page_size: int) -> list[GeneratedPage]:
    """`topics/`, every topic with its count; `topics/<id>/` for each."""
    topics = sorted(archive.topics.values(), key=lambda t: (t.title.casefold(), t.id))
    pages = [
        GeneratedPage(
            url="topics/",
            title="Topics",
            template="topics.md.j2",
            context={"topics": tuple((t, len(index.by_topic.get(t.id, ()))) for t in topics)},
        )
    ]
    for topic in archive.topics.values():
        pages += profile_pages(
            topic_url(topic.id),
            topic.title,
            "topic.md.j2",
            index.by_topic.get(topic.id, ()),
            page_size,
            topic.path,
            {"topic": topic},
            feed=("topic", topic.id),
        )
    return pages


def date_pages(index: Index, page_size: int) -> list[GeneratedPage]:
    """`dates/`, and a page for each year, month and day that has statements.

    Each page lists the next level down with counts (`dates/` the years and their months,
    a year its months, a month its days), so every period is two clicks from the one above;
    the calendar of a year's days is on the year's page. A month's and a day's pages list
    their statements, in numbered pages when long; a year's page is one page that lists
    none, so that every statement is listed once by month and once by day. `dates/` stays
    small however long the archive: years and months only, no calendar of each year.
    """
    years = list(index.by_year)
    months = list(index.by_month)
    days = list(index.by_day)
    year_nav = neighbours(years, {y: str(y) for y in years}, {y: year_url(y) for y in years})
    month_nav = neighbours(
        months,
        {m: f"{MONTHS[m[1] - 1]} {m[0]}" for m in months},
        {m: month_url(*m) for m in months},
    )
    day_nav = neighbours(days, {d: format_date(d) for d in days}, {d: day_url(d) for d in days})
    months_of: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    days_of: dict[int, dict[dt.date, int]] = defaultdict(dict)
    days_in: dict[tuple[int, int], list[tuple[str, int, str]]] = defaultdict(list)
    for day, statements in index.by_day.items():
        days_of[day.year][day] = len(statements)
        label = f"{day.day} {MONTHS[day.month - 1]}"
        days_in[(day.year, day.month)].append((label, len(statements), day_url(day)))
    for (year, month), statements in index.by_month.items():
        months_of[year].append((MONTHS[month - 1], len(statements), month_url(year, month)))
    pages = [
        GeneratedPage(
            url="dates/",
            title="Dates",
            template="dates.md.j2",
            context={
                "years": tuple(
                    (year, len(index.by_year[year]), year_url(year), tuple(months_of[year]))
                    for year in reversed(years)
                ),
            },
        )
    ]
    for year, statements in index.by_year.items():
        # One page, not a listing: the year's statements are listed by its months, and a
        # second listing of them here would double the dates section's pages and bytes.
        pages.append(
            GeneratedPage(
                url=year_url(year),
                title=f"Statements of {year}",
                template="year.md.j2",
                context={
                    "neighbours": year_nav[year],
                    "periods": tuple(months_of[year]),
                    "total": len(statements),
                    # Statements per day: the year's calendar heatmap.
                    "calendar": (year, days_of[year]),
                    "parent": ("Dates", "dates/"),
                },
            )
        )
    for (year, month), statements in index.by_month.items():
        pages += paged_listing(
            month_url(year, month),
            f"Statements of {MONTHS[month - 1]} {year}",
            "period.md.j2",
            statements,
            page_size,
            "day",
            {
                "neighbours": month_nav[(year, month)],
                "periods": tuple(days_in[(year, month)]),
                "parent": (str(year), year_url(year)),
            },
        )
    for day, statements in index.by_day.items():
        label = f"{MONTHS[day.month - 1]} {day.year}"
        pages += paged_listing(
            day_url(day),
            f"Statements of {format_date(day)}",
            "period.md.j2",
            statements,
            page_size,
            "none",
            {
                "neighbours": day_nav[day],
                "parent": (label, month_url(day.year, day.month)),
                "on_this_day": on_this_day_url(day.month, day.day),
            },
        )
    return pages


def briefing_pages(archive: Archive, index: Index, page_size: int) -> list[GeneratedPage]:
    """`briefings/`, newest first in numbered pages; `briefings/<id>/` for each."""
    ordered = sorted(archive.briefings.values(), key=lambda b: (-b.published.toordinal(), b.id))
    pages = [
        GeneratedPage(
            url=pager.url,
            title=pager.title("Briefings"),
            template="briefings.md.j2",
            context={
                "briefings": tuple((b, len(index.by_briefing.get(b.id, ()))) for b in chunk),
                "pager": pager,
            },
        )
        for pager, chunk in paginate("briefings/", ordered, page_size)
    ]
    for briefing in archive.briefings.values():
        pages.append(
            GeneratedPage(
                url=briefing_url(briefing.id),
                title=briefing.title,
                template="briefing.md.j2",
                searchable=True,
                edit_path=briefing.path,
                context={
                    "briefing": briefing,
                    "statements": index.by_briefing.get(briefing.id, ()),
                },
            )
        )
    return pages


def publisher_pages(archive: Archive, index: Index, page_size: int) -> list[GeneratedPage]:
    """`publishers/`, every outlet with its counts; `publishers/<slug>/` for each.

    A publisher is named by briefings' and inline sources' `publisher`; spellings that
    share a slug share a page (see `publishers`).
    """
    names = publishers(archive)
    spellings: defaultdict[str, set[str]] = defaultdict(set)
    briefings: defaultdict[str, list[Briefing]] = defaultdict(list)
    for briefing in sorted(
        archive.briefings.values(), key=lambda b: (-b.published.toordinal(), b.id)
    ):
        slug = publisher_slug(briefing.publisher)
        briefings[slug].append(briefing)
        spellings[slug].add(briefing.publisher)
    for statement in archive.statements.values():
        for src in statement.sources:
            spellings[publisher_slug(src.publisher)].add(src.publisher)
    ordered = sorted(names.items(), key=lambda item: (item[1].casefold(), item[0]))
    pages = [
        GeneratedPage(
            url="publishers/",
            title="Publishers",
            template="publishers.md.j2",
            context={
                "publishers": tuple(
                    (
                        slug,
                        name,
                        len(briefings.get(slug, ())),
                        len(index.by_publisher.get(slug, ())),
                    )
                    for slug, name in ordered
                )
            },
        )
    ]
    for slug, name in names.items():
        pages += profile_pages(
            publisher_url(slug),
            name,
            "publisher.md.j2",
            index.by_publisher.get(slug, ()),
            page_size,
            None,
            {
                "publisher": name,
                "slug": slug,
                "spellings": tuple(sorted(spellings[slug] - {name})),
                "briefings": tuple(
                    (b, len(index.by_briefing.get(b.id, ()))) for b in briefings.get(slug, ())
                ),
            },
            feed=("publisher", slug),
        )
    return pages


def home_page(archive: Archive, index: Index, latest: int, home: Home) -> GeneratedPage:
    """The home page: the archive's counts and its `latest` statements."""
    first = index.newest[-1].date if index.newest else None
    last = index.newest[0].date if index.newest else None
    return GeneratedPage(
        url="",
        title=home.name,
        template="home.md.j2",
        context={
            "home": home,
            "counts": {
                "statements": len(archive.statements),
                "actors": len(archive.actors),
                "topics": len(archive.topics),
                "briefings": len(archive.briefings),
            },
            "first": first,
            "last": last,
            "groups": group_by_day(index.newest[:latest]),
            # Not shown as such: the per-year downloads the page lists (from PageParts) follow
            # the years, and `serve` reuses a page whose context is unchanged.
            "years": sorted({s.date.year for s in archive.statements.values()}),
        },
        feed=("archive", None),
    )


__all__ = [
    "actor_pages",
    "briefing_pages",
    "date_pages",
    "home_page",
    "publisher_pages",
    "topic_pages",
]
