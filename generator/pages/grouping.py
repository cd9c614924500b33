"""Every grouping the pages need (`Index`), computed once, and the groups a listing shows.

`resolve_index` makes one pass over the statements after one sort, so the whole site is
O(n log n) in the number of statements.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from generator.pages.models import Group, Neighbours
from generator.pages.urls import day_url, format_date, publisher_slug
from generator.records.model import Archive, Statement

K = TypeVar("K")


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


def resolve_index(archive: Archive) -> Index:
    """Every grouping of the archive's statements, each group newest first."""
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


def group_by_year(statements: Iterable[Statement]) -> tuple[Group, ...]:
    """Statements under one heading per year, with an anchor to link to."""
    groups: dict[int, list[Statement]] = {}
    for statement in statements:
        groups.setdefault(statement.date.year, []).append(statement)
    return tuple(
        Group(str(year), None, tuple(items), anchor=f"y{year}") for year, items in groups.items()
    )


def group_by_day(statements: Iterable[Statement]) -> tuple[Group, ...]:
    """Statements under one heading per day, linked to the day's page."""
    groups: dict[dt.date, list[Statement]] = {}
    for statement in statements:
        groups.setdefault(statement.date, []).append(statement)
    return tuple(
        Group(format_date(day), day_url(day), tuple(items)) for day, items in groups.items()
    )


def neighbours(keys: Sequence[K], label: dict[K, str], url: dict[K, str]) -> dict[K, Neighbours]:
    """Each period with the one before and after it in `keys`."""
    result: dict[K, Neighbours] = {}
    for i, key in enumerate(keys):
        before = keys[i - 1] if i > 0 else None
        after = keys[i + 1] if i + 1 < len(keys) else None
        result[key] = Neighbours(
            previous=(label[before], url[before]) if before is not None else None,
            next=(label[after], url[after]) if after is not None else None,
        )
    return result


__all__ = ["Index", "group_by_day", "group_by_year", "neighbours", "resolve_index"]
