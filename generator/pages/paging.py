"""The pager: a listing split into numbered pages (`page/2/`, `page/3/`...).

`paginate` is the one place a listing is cut into pages; `paged_listing` (the dates'
pages) and `profile_pages` (an actor's, topic's or publisher's) make the pages of one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from generator.pages.grouping import group_by_day, group_by_year
from generator.pages.models import GeneratedPage, Group
from generator.pages.urls import paged_url
from generator.records.model import Statement

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Pager:
    """Where one page of a split listing sits among its siblings."""

    number: int
    count: int
    urls: tuple[str, ...]

    @property
    def url(self) -> str:
        """The URL of this page."""
        return self.urls[self.number - 1]

    @property
    def previous(self) -> str | None:
        """The URL of the page before, if any."""
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        """The URL of the page after, if any."""
        return self.urls[self.number] if self.number < self.count else None

    def title(self, title: str) -> str:
        """The title of this page of the listing called `title`."""
        return title if self.number == 1 else f"{title} (page {self.number})"


def paginate(base: str, items: Sequence[T], size: int) -> list[tuple[Pager, tuple[T, ...]]]:
    """The listing of `items` at `base`, `size` to a page: each page's pager and items.

    An empty listing still has its first page.
    """
    chunks = [tuple(items[i : i + size]) for i in range(0, len(items), size)] or [()]
    urls = tuple(paged_url(base, n) for n in range(1, len(chunks) + 1))
    return [(Pager(n, len(chunks), urls), chunk) for n, chunk in enumerate(chunks, start=1)]


def paged_listing(
    base: str,
    title: str,
    template: str,
    statements: Sequence[Statement],
    page_size: int,
    group: str,
    context: Mapping[str, object],
) -> list[GeneratedPage]:
    """A listing split into numbered pages; every page gets the same `context`."""
    pages = []
    for pager, chunk in paginate(base, statements, page_size):
        if group == "day":
            groups = group_by_day(chunk)
        elif group == "year":
            groups = group_by_year(chunk)
        else:
            groups = (Group("", None, chunk),)
        pages.append(
            GeneratedPage(
                url=pager.url,
                title=pager.title(title),
                template=template,
                context={
                    **context,
                    "groups": groups,
                    "pager": pager,
                    "total": len(statements),
                },
            )
        )
    return pages


def profile_pages(
    base: str,
    title: str,
    template: str,
    statements: Sequence[Statement],
    page_size: int,
    edit_path: str | None,
    context: Mapping[str, object],
    feed: tuple[str, str | None] | None = None,
) -> list[GeneratedPage]:
    """An actor's, topic's or publisher's page: the profile, then its statements in numbered pages.

    Numbered pages rather than one page per year: an actor with a few statements a year
    over decades would otherwise get dozens of near-empty pages (50,000 at 2,000 actors).
    The pages advertise `feed` only when there are statements: the feeds (outputs/feeds.py
    `all_feeds`) have none for a record without any.
    """
    if not statements:
        feed = None
    paged = paginate(base, statements, page_size)
    first_page: dict[int, str] = {}
    for pager, chunk in paged:
        for statement in chunk:
            first_page.setdefault(statement.date.year, pager.url)
    counts = Counter(s.date.year for s in statements)
    years = tuple(
        (year, counts[year], f"{first_page[year]}#y{year}") for year in sorted(counts, reverse=True)
    )
    return [
        GeneratedPage(
            url=pager.url,
            title=pager.title(title),
            template=template,
            searchable=pager.number == 1,  # later pages are listings only
            edit_path=edit_path if pager.number == 1 else None,
            context={
                **context,
                "total": len(statements),
                "years": years,
                "groups": group_by_year(chunk),
                "pager": pager,
                # All of them, for the timeline chart on the first page.
                "timeline": tuple(statements) if pager.number == 1 else (),
            },
            feed=feed,
        )
        for pager, chunk in paged
    ]


__all__ = ["Pager", "paged_listing", "paginate", "profile_pages"]
