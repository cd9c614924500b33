"""Group and sort the archive into page models: what pages exist, at which URL, with what.

Pure: no I/O, no MkDocs, no templates. `render.py` turns the `GeneratedPage`s made here
into Markdown. Every grouping is computed once in `_resolve_index` (one pass over the
statements after one sort), so the whole site is O(n log n) in the number of statements.

URLs are site-relative directory URLs without a leading slash ("statements/x/"; the home
page is ""). They are permalinks: change them only with redirects.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar
from urllib.parse import quote

from slugify import slugify

from generator.records.model import ACTOR_KINDS, Actor, Archive, Briefing, Statement

#: Statements per listing page; longer listings continue on `page/2/`, `page/3/`...
PAGE_SIZE = 100
#: Statements shown on the home page.
LATEST = 20

K = TypeVar("K")

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


# --- URLs -----------------------------------------------------------------------------------


# The characters quote() never changes: an id made of them only is its own URL segment.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]+")


def _seg(record_id: str) -> str:
    # Ids are slugs (the validator says so); quoting keeps a stray character from
    # escaping its folder instead of trusting that. The match skips quote()'s encoding
    # round trip for the usual slug: five URLs per statement page add up.
    if _UNQUOTED.fullmatch(record_id):
        return record_id
    return quote(record_id, safe="")


def statement_url(statement_id: str) -> str:
    """The permalink of a statement."""
    return f"statements/{_seg(statement_id)}/"


def actor_url(actor_id: str) -> str:
    """The page of an actor."""
    return f"actors/{_seg(actor_id)}/"


def topic_url(topic_id: str) -> str:
    """The page of a topic."""
    return f"topics/{_seg(topic_id)}/"


def briefing_url(briefing_id: str) -> str:
    """The page of a briefing."""
    return f"briefings/{_seg(briefing_id)}/"


@lru_cache(maxsize=4096)  # a few publishers, slugified once per source otherwise
def publisher_slug(publisher: str) -> str:
    """The URL segment of a publisher: `ria-novosti` for `RIA Novosti` (python-slugify).

    The one slug function of the site: feeds.py re-exports it for the feed URLs.
    """
    return str(slugify(publisher))


def publishers(archive: Archive) -> dict[str, str]:
    """Each publisher slug with the publisher's name, for every source and briefing.

    When several spellings share a slug (`RIA Novosti`, `RIA-Novosti`) they share one page
    and feed, named by the alphabetically first spelling. Names that slugify to nothing
    (only punctuation) get neither: they would have no URL.
    """
    names: dict[str, str] = {}
    spellings = {b.publisher for b in archive.briefings.values()}
    spellings |= {src.publisher for s in archive.statements.values() for src in s.sources}
    for name in sorted(spellings):
        slug = publisher_slug(name)
        if slug and slug not in names:
            names[slug] = name
    return dict(sorted(names.items()))


def publisher_url(slug: str) -> str:
    """The page of a publisher (`slug` from `publisher_slug`)."""
    return f"publishers/{_seg(slug)}/"


def year_url(year: int) -> str:
    """Every statement of a year."""
    return f"dates/{year:04d}/"


def month_url(year: int, month: int) -> str:
    """Every statement of a month."""
    return f"dates/{year:04d}/{month:02d}/"


def day_url(day: dt.date) -> str:
    """Every statement of a day."""
    return f"dates/{day.year:04d}/{day.month:02d}/{day.day:02d}/"


def paged_url(base: str, number: int) -> str:
    """Page `number` (1-based) of the listing at `base`."""
    return base if number == 1 else f"{base}page/{number}/"


def src_uri(url: str) -> str:
    """The in-memory Markdown file that MkDocs turns into the page at `url`."""
    return f"{url}index.md"


def format_date(day: dt.date) -> str:
    """`19 December 2023`: spelled out so it cannot be misread, and locale-free."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# --- Page models ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pager:
    """Where one page of a split listing sits among its siblings."""

    number: int
    count: int
    urls: tuple[str, ...]

    @property
    def previous(self) -> str | None:
        """The URL of the page before, if any."""
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        """The URL of the page after, if any."""
        return self.urls[self.number] if self.number < self.count else None


@dataclass(frozen=True, slots=True)
class Group:
    """A run of statements under one heading (a year, a day)."""

    label: str
    url: str | None
    statements: tuple[Statement, ...]
    anchor: str | None = None  # id of the heading, for links into a numbered page


@dataclass(frozen=True, slots=True)
class Neighbours:
    """The previous and next period (day, month, year) that has statements."""

    previous: tuple[str, str] | None = None  # (label, url)
    next: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Home:
    """The home page's own words, all from the archive's configuration."""

    name: str  # site_name: the heading and the page title
    tagline: str | None = None
    about: str | None = None  # plain text; a blank line separates paragraphs

    @property
    def about_paragraphs(self) -> tuple[str, ...]:
        """The About text split into paragraphs, each on one line."""
        blocks = re.split(r"\n\s*\n", (self.about or "").strip())
        return tuple(" ".join(block.split()) for block in blocks if block.strip())


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    """One page to generate: its URL, title, template and the values the template uses."""

    url: str
    title: str
    template: str
    searchable: bool = False
    edit_path: str | None = None  # the record (relative to the content folder) it shows
    context: Mapping[str, object] = field(default_factory=dict)
    #: The Atom feed the page advertises in its <head>: (kind, id) as feeds.feed_link takes
    #: them, e.g. ("actor", "li-wei"), ("archive", None).
    feed: tuple[str, str | None] | None = None

    @property
    def src_uri(self) -> str:
        """The Markdown file name MkDocs knows the page by."""
        return src_uri(self.url)


@dataclass(frozen=True, slots=True)
class Index:
    """Every grouping the pages need, computed once."""

    newest: tuple[Statement, ...]
    by_actor: Mapping[str, tuple[Statement, ...]]
    by_topic: Mapping[str, tuple[Statement, ...]]
    by_briefing: Mapping[str, tuple[Statement, ...]]
    by_year: Mapping[int, tuple[Statement, ...]]
    by_month: Mapping[tuple[int, int], tuple[Statement, ...]]
    by_day: Mapping[dt.date, tuple[Statement, ...]]
    co_actors: Mapping[str, tuple[tuple[str, int], ...]]
    actor_topics: Mapping[str, tuple[tuple[str, int], ...]]
    #: By publisher slug: the statements it reported (in a source or as the briefing).
    by_publisher: Mapping[str, tuple[Statement, ...]] = field(default_factory=dict)


# --- Stages ---------------------------------------------------------------------------------


def _newest_first(statement: Statement) -> tuple[int, str]:
    return (-statement.date.toordinal(), statement.id)


def _by_count(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    # Most frequent first; ties by id so that two builds agree.
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def _resolve_index(archive: Archive) -> Index:
    newest = tuple(sorted(archive.statements.values(), key=_newest_first))
    by_actor: defaultdict[str, list[Statement]] = defaultdict(list)
    by_topic: defaultdict[str, list[Statement]] = defaultdict(list)
    by_briefing: defaultdict[str, list[Statement]] = defaultdict(list)
    by_year: defaultdict[int, list[Statement]] = defaultdict(list)
    by_month: defaultdict[tuple[int, int], list[Statement]] = defaultdict(list)
    by_day: defaultdict[dt.date, list[Statement]] = defaultdict(list)
    co_actors: defaultdict[str, Counter[str]] = defaultdict(Counter)
    actor_topics: defaultdict[str, Counter[str]] = defaultdict(Counter)
    by_publisher: defaultdict[str, list[Statement]] = defaultdict(list)
    for statement in newest:  # appending in this order keeps every group newest first
        actors = tuple(dict.fromkeys(statement.actors))
        for actor_id in actors:
            by_actor[actor_id].append(statement)
            actor_topics[actor_id].update(t for t in statement.topics if t in archive.topics)
            if len(actors) > 1:
                co_actors[actor_id].update(other for other in actors if other != actor_id)
        for topic_id in dict.fromkeys(statement.topics):
            by_topic[topic_id].append(statement)
        if statement.briefing:
            by_briefing[statement.briefing].append(statement)
        slugs = {publisher_slug(src.publisher) for src in archive.sources_of(statement)}
        for slug in sorted(slugs - {""}):
            by_publisher[slug].append(statement)
        by_year[statement.date.year].append(statement)
        by_month[(statement.date.year, statement.date.month)].append(statement)
        by_day[statement.date].append(statement)

    def briefing_order(statement: Statement) -> tuple[bool, int, dt.date, str]:
        order = statement.briefing_order
        return (order is None, order or 0, statement.date, statement.id)

    return Index(
        newest=newest,
        by_actor={k: tuple(v) for k, v in sorted(by_actor.items())},
        by_topic={k: tuple(v) for k, v in sorted(by_topic.items())},
        by_briefing={
            k: tuple(sorted(v, key=briefing_order)) for k, v in sorted(by_briefing.items())
        },
        by_year={k: tuple(v) for k, v in sorted(by_year.items())},
        by_month={k: tuple(v) for k, v in sorted(by_month.items())},
        by_day={k: tuple(v) for k, v in sorted(by_day.items())},
        co_actors={k: _by_count(v) for k, v in sorted(co_actors.items())},
        actor_topics={k: _by_count(v) for k, v in sorted(actor_topics.items())},
        by_publisher={k: tuple(v) for k, v in sorted(by_publisher.items())},
    )


def _chunks(items: Sequence[Statement], size: int) -> list[tuple[Statement, ...]]:
    if not items:
        return [()]
    return [tuple(items[i : i + size]) for i in range(0, len(items), size)]


def _group_by_year(statements: Iterable[Statement]) -> tuple[Group, ...]:
    groups: dict[int, list[Statement]] = {}
    for statement in statements:
        groups.setdefault(statement.date.year, []).append(statement)
    return tuple(
        Group(str(year), None, tuple(items), anchor=f"y{year}") for year, items in groups.items()
    )


def _group_by_day(statements: Iterable[Statement]) -> tuple[Group, ...]:
    groups: dict[dt.date, list[Statement]] = {}
    for statement in statements:
        groups.setdefault(statement.date, []).append(statement)
    return tuple(
        Group(format_date(day), day_url(day), tuple(items)) for day, items in groups.items()
    )


def _neighbours(keys: Sequence[K], label: dict[K, str], url: dict[K, str]) -> dict[K, Neighbours]:
    result: dict[K, Neighbours] = {}
    for i, key in enumerate(keys):
        before = keys[i - 1] if i > 0 else None
        after = keys[i + 1] if i + 1 < len(keys) else None
        result[key] = Neighbours(
            previous=(label[before], url[before]) if before is not None else None,
            next=(label[after], url[after]) if after is not None else None,
        )
    return result


def _generate_paged(
    base: str,
    title: str,
    template: str,
    statements: Sequence[Statement],
    page_size: int,
    group: str,
    context: Mapping[str, object],
) -> list[GeneratedPage]:
    """A listing split into numbered pages; every page gets the same `context`."""
    chunks = _chunks(statements, page_size)
    urls = tuple(paged_url(base, n) for n in range(1, len(chunks) + 1))
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        if group == "day":
            groups = _group_by_day(chunk)
        elif group == "year":
            groups = _group_by_year(chunk)
        else:
            groups = (Group("", None, chunk),)
        page_title = title if number == 1 else f"{title} (page {number})"
        pages.append(
            GeneratedPage(
                url=urls[number - 1],
                title=page_title,
                template=template,
                context={
                    **context,
                    "groups": groups,
                    "pager": Pager(number, len(chunks), urls),
                    "total": len(statements),
                },
            )
        )
    return pages


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


def _generate_profile_pages(
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
    """
    chunks = _chunks(statements, page_size)
    urls = tuple(paged_url(base, n) for n in range(1, len(chunks) + 1))
    first_page: dict[int, int] = {}
    for number, chunk in enumerate(chunks, start=1):
        for statement in chunk:
            first_page.setdefault(statement.date.year, number)
    counts = Counter(s.date.year for s in statements)
    years = tuple(
        (year, counts[year], f"{urls[first_page[year] - 1]}#y{year}")
        for year in sorted(counts, reverse=True)
    )
    return [
        GeneratedPage(
            url=urls[number - 1],
            title=title if number == 1 else f"{title} (page {number})",
            template=template,
            searchable=number == 1,  # later pages are listings only
            edit_path=edit_path if number == 1 else None,
            context={
                **context,
                "total": len(statements),
                "years": years,
                "groups": _group_by_year(chunk),
                "pager": Pager(number, len(chunks), urls),
                # All of them, for the timeline chart on the first page.
                "timeline": tuple(statements) if number == 1 else (),
            },
            feed=feed,
        )
        for number, chunk in enumerate(chunks, start=1)
    ]


def _generate_actor_pages(archive: Archive, index: Index, page_size: int) -> list[GeneratedPage]:
    kinds = [*ACTOR_KINDS, *sorted({a.kind for a in archive.actors.values()} - set(ACTOR_KINDS))]
    by_kind: dict[str, list[tuple[Actor, int]]] = {kind: [] for kind in kinds}
    for actor in sorted(archive.actors.values(), key=lambda a: (a.name.casefold(), a.id)):
        by_kind[actor.kind].append((actor, len(index.by_actor.get(actor.id, ()))))
    pages = [
        GeneratedPage(
            url="actors/",
            title="Actors",
            template="actors.md.j2",
            context={"kinds": tuple((k, tuple(v)) for k, v in by_kind.items() if v)},
        )
    ]
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
        pages += _generate_profile_pages(
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


def _generate_topic_pages(archive: Archive, index: Index, page_size: int) -> list[GeneratedPage]:
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
        pages += _generate_profile_pages(
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


def _generate_date_pages(index: Index, page_size: int) -> list[GeneratedPage]:
    years = list(index.by_year)
    months = list(index.by_month)
    days = list(index.by_day)
    year_nav = _neighbours(years, {y: str(y) for y in years}, {y: year_url(y) for y in years})
    month_nav = _neighbours(
        months,
        {m: f"{MONTHS[m[1] - 1]} {m[0]}" for m in months},
        {m: month_url(*m) for m in months},
    )
    day_nav = _neighbours(days, {d: format_date(d) for d in days}, {d: day_url(d) for d in days})
    months_of: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    days_of: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for day, statements in index.by_day.items():
        days_of[day.year][day] = len(statements)
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
                # Statements per day, per year: one calendar heatmap per year.
                "days": days_of,
            },
        )
    ]
    for year, statements in index.by_year.items():
        pages += _generate_paged(
            year_url(year),
            f"Statements of {year}",
            "period.md.j2",
            statements,
            page_size,
            "day",
            {
                "neighbours": year_nav[year],
                "months": tuple(months_of[year]),
                "parent": ("Dates", "dates/"),
            },
        )
    for (year, month), statements in index.by_month.items():
        pages += _generate_paged(
            month_url(year, month),
            f"Statements of {MONTHS[month - 1]} {year}",
            "period.md.j2",
            statements,
            page_size,
            "day",
            {"neighbours": month_nav[(year, month)], "parent": (str(year), year_url(year))},
        )
    for day, statements in index.by_day.items():
        label = f"{MONTHS[day.month - 1]} {day.year}"
        pages += _generate_paged(
            day_url(day),
            f"Statements of {format_date(day)}",
            "period.md.j2",
            statements,
            page_size,
            "none",
            {"neighbours": day_nav[day], "parent": (label, month_url(day.year, day.month))},
        )
    return pages


def _generate_briefing_pages(archive: Archive, index: Index, page_size: int) -> list[GeneratedPage]:
    ordered = sorted(archive.briefings.values(), key=lambda b: (-b.published.toordinal(), b.id))
    chunks: list[list[Briefing]] = [
        ordered[i : i + page_size] for i in range(0, len(ordered), page_size)
    ]
    chunks = chunks or [[]]
    urls = tuple(paged_url("briefings/", n) for n in range(1, len(chunks) + 1))
    pages = [
        GeneratedPage(
            url=urls[n - 1],
            title="Briefings" if n == 1 else f"Briefings (page {n})",
            template="briefings.md.j2",
            context={
                "briefings": tuple((b, len(index.by_briefing.get(b.id, ()))) for b in chunk),
                "pager": Pager(n, len(chunks), urls),
            },
        )
        for n, chunk in enumerate(chunks, start=1)
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


def _generate_publisher_pages(
    archive: Archive, index: Index, page_size: int
) -> list[GeneratedPage]:
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
        pages += _generate_profile_pages(
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


def _generate_home(archive: Archive, index: Index, latest: int, home: Home) -> GeneratedPage:
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
            "groups": _group_by_day(index.newest[:latest]),
        },
        feed=("archive", None),
    )


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
    index = _resolve_index(archive)
    pages = [
        _generate_home(archive, index, latest, home),
        *_generate_actor_pages(archive, index, page_size),
        *_generate_topic_pages(archive, index, page_size),
        *_generate_date_pages(index, page_size),
        *_generate_briefing_pages(archive, index, page_size),
        *_generate_publisher_pages(archive, index, page_size),
    ]
    pages.sort(key=lambda page: page.url)
    return tuple(pages)


#: The section pages the sidebar links to; they exist even when the archive is empty.
SECTION_URLS: tuple[str, ...] = ("", "actors/", "dates/", "topics/", "briefings/")

__all__ = [
    "LATEST",
    "PAGE_SIZE",
    "SECTION_URLS",
    "GeneratedPage",
    "Group",
    "Home",
    "Neighbours",
    "Pager",
    "actor_url",
    "briefing_url",
    "build_listings",
    "build_pages",
    "day_url",
    "format_date",
    "month_url",
    "paged_url",
    "publisher_slug",
    "publisher_url",
    "publishers",
    "statement_page",
    "statement_url",
    "statements_by_url",
    "topic_url",
    "year_url",
]
