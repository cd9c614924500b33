"""On this day: for each calendar day that has statements, those of every year on it.

`on-this-day/MM-DD/` lists them newest year first, under a heading per year that links to
that day's page; each day's page links back to it (`sections.date_pages`). `on-this-day/`
lists the calendar days, and a few lines of script on it take the reader to today's page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from generator.pages.grouping import Index
from generator.pages.models import GeneratedPage
from generator.pages.paging import paged_listing
from generator.pages.urls import MONTHS, ON_THIS_DAY_URL, on_this_day_url


def day_label(month: int, day: int) -> str:
    """`3 March`: a calendar day of no particular year."""
    return f"{day} {MONTHS[month - 1]}"


def on_this_day_pages(index: Index, page_size: int) -> list[GeneratedPage]:
    """`on-this-day/` and `on-this-day/MM-DD/` for each calendar day that has statements."""
    days: defaultdict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for date in index.by_day:  # in date order
        days[(date.month, date.day)].append(date)
    calendar = sorted(days)
    by_month: defaultdict[int, list[tuple[str, str, int, str]]] = defaultdict(list)
    for month, day in calendar:
        count = sum(len(index.by_day[d]) for d in days[(month, day)])
        key = f"{month:02d}-{day:02d}"  # what the script matches today against
        by_month[month].append((day_label(month, day), key, count, on_this_day_url(month, day)))
    listed = tuple((MONTHS[month - 1], tuple(items)) for month, items in by_month.items())
    pages = [
        GeneratedPage(
            url=ON_THIS_DAY_URL,
            title="On this day",
            template="on_this_day_index.md.j2",
            context={"months": listed},
        )
    ]
    for month, day in calendar:
        statements = [s for d in reversed(days[(month, day)]) for s in index.by_day[d]]
        pages += paged_listing(
            on_this_day_url(month, day),
            f"On this day: {day_label(month, day)}",
            "on_this_day.md.j2",
            statements,
            page_size,
            "day",
            {"years": len(days[(month, day)]), "parent": ("On this day", ON_THIS_DAY_URL)},
        )
    return pages


__all__ = ["day_label", "on_this_day_pages"]
