"""Group and sort the archive into page models: what pages exist, at which URL, with what.

Pure: no I/O, no MkDocs, no templates. `render.py` turns the `GeneratedPage`s made here
into Markdown. Every grouping is computed once (`grouping.resolve_index`); the pages of
each section are made in `sections.py`, their URLs in `urls.py`.
"""

from __future__ import annotations

import heapq

from generator.pages import sections
from generator.pages.corrections import corrections_page, newest_first
from generator.pages.grouping import resolve_index
from generator.pages.models import GeneratedPage, Home
from generator.pages.on_this_day import on_this_day_pages
from generator.pages.urls import statement_url
from generator.records.model import Archive, Statement

#: Statements per listing page; longer listings continue on `page/2/`, `page/3/`...
PAGE_SIZE = 100
#: Statements shown on the home page.
LATEST = 20

#: The section pages the sidebar links to; they exist even when the archive is empty.
SECTION_URLS: tuple[str, ...] = ("", "actors/", "dates/", "topics/", "briefings/")


def statement_page(archive: Archive, statement: Statement) -> GeneratedPage:
    """The permalink page of one statement: it needs no grouping, so it is made on its own."""
    actors = [archive.actors[a] for a in statement.actors if a in archive.actors]
    return GeneratedPage(
        url=statement_url(statement.id),
        title=statement.title,
        template="statement.md.j2",
        searchable=True,
        edit_path=statement.path,
        context={
            "statement": statement,
            "corrections": newest_first(statement.corrections),
            "changed": archive.changed.get(statement.path),
            "actors": tuple((actor, actor.roles_on(statement.date)) for actor in actors),
            "sources": archive.sources_of(statement),
            "briefing": archive.briefings.get(statement.briefing or ""),
            "topics": tuple(archive.topics[t] for t in statement.topics if t in archive.topics),
            "mentions": tuple(archive.actors[a] for a in statement.mentions if a in archive.actors),
            "related": tuple(
                archive.statements[r] for r in statement.related if r in archive.statements
            ),
        },
    )


def statements_by_url(archive: Archive) -> list[tuple[str, Statement]]:
    """Each statement with its page's URL, in URL order (`build_pages`' order)."""
    pages = [(statement_url(s.id), s) for s in archive.statements.values()]
    return sorted(pages, key=lambda pair: pair[0])


def build_pages(
    archive: Archive, *, page_size: int = PAGE_SIZE, latest: int = LATEST, home: Home
) -> tuple[GeneratedPage, ...]:
    """Every generated page of the site, sorted by URL."""
    listings = build_listings(archive, page_size=page_size, latest=latest, home=home)
    statements = [statement_page(archive, s) for _, s in statements_by_url(archive)]
    # Two lists sorted by URL, whose URLs never meet ("statements/..." are only theirs).
    return tuple(heapq.merge(listings, statements, key=lambda page: page.url))


def build_listings(
    archive: Archive, *, page_size: int = PAGE_SIZE, latest: int = LATEST, home: Home
) -> tuple[GeneratedPage, ...]:
    """Every generated page but the statements' own (`statement_page`), sorted by URL."""
    if page_size < 1 or latest < 0:
        raise ValueError("page_size must be positive and latest not negative")
    index = resolve_index(archive)
    pages = [
        sections.home_page(archive, index, latest, home),
        *sections.actor_pages(archive, index, page_size),
        *sections.topic_pages(archive, index, page_size),
        *sections.date_pages(index, page_size),
        *sections.briefing_pages(archive, index, page_size),
        *sections.publisher_pages(archive, index, page_size),
        corrections_page(archive),
        *on_this_day_pages(index, page_size),
    ]
    pages.sort(key=lambda page: page.url)
    return tuple(pages)


__all__ = [
    "LATEST",
    "PAGE_SIZE",
    "SECTION_URLS",
    "GeneratedPage",
    "Home",
    "build_listings",
    "build_pages",
    "statement_page",
    "statements_by_url",
]
