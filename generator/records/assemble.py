"""Checked records -> the archive's frozen models (generator/records/model.py).

Only records that passed every check of their own file come here, so each field the schema
requires is present and of the right type: this module converts, it does not check. Given
the models it made last time (`serve`), it hands an unchanged record its model back, so
that the pages can tell an unchanged record by the identity of its model.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from generator.records.find import RecordFile
from generator.records.model import (
    Actor,
    Archive,
    Briefing,
    Correction,
    Links,
    Name,
    Quote,
    Role,
    Source,
    Statement,
    Topic,
)
from generator.reuse import Reuse


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _whole(value: Any) -> int | None:
    # JSON Schema counts 1.0 as an integer; the model keeps a real int.
    return None if value is None else int(value)


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value))


def partial_date(value: Any, end: bool) -> dt.date | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD bound as a date: its first day, or last when `end`."""
    if value is None:
        return None
    if isinstance(value, float):  # JSON Schema counts 2020.0 as an integer: a year
        value = int(value)
    parts = [int(p) for p in str(value).split("-")]
    if len(parts) == 3:
        return dt.date(parts[0], parts[1], parts[2])
    if len(parts) == 2:
        year, month = parts
        return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)


def _build_actor(r: RecordFile, d: dict[str, Any]) -> Actor:
    links = d.get("links") or {}
    return Actor(
        id=d["id"],
        name=d["name"],
        kind=d["kind"],
        path=r.rel,
        names=tuple(Name(n["name"], n["lang"]) for n in d.get("names", [])),
        country=_text(d, "country"),
        roles=tuple(
            Role(
                x["title"],
                x.get("organization"),
                partial_date(x.get("from"), False),
                partial_date(x.get("to"), True),
            )
            for x in d.get("roles", [])
        ),
        description=_text(d, "description"),
        links=Links(wikidata=links.get("wikidata"), website=links.get("website")),
    )


def _build_source(d: dict[str, Any]) -> Source:
    return Source(
        d["title"], d["publisher"], _date(d["published"]), d.get("url"), d.get("archived_url")
    )


def _build_statement(r: RecordFile, d: dict[str, Any]) -> Statement:
    return Statement(
        id=d["id"],
        date=_date(d["date"]),
        actors=tuple(d["actors"]),
        title=d["title"],
        kind=d["kind"],
        summary=d["summary"],
        path=r.rel,
        sources=tuple(_build_source(s) for s in d.get("sources", [])),
        briefing=_text(d, "briefing"),
        briefing_order=_whole(d.get("briefing_order")),
        venue=_text(d, "venue"),
        location=_text(d, "location"),
        quotes=tuple(
            Quote(
                q["text"],
                q["lang"],
                q.get("original"),
                q.get("original_lang"),
                q.get("translated_by"),
            )
            for q in d.get("quotes", [])
        ),
        topics=tuple(d.get("topics", [])),
        mentions=tuple(d.get("mentions", [])),
        related=tuple(d.get("related", [])),
        date_note=_text(d, "date_note"),
        notes=_text(d, "notes"),
        status=d.get("status", "published"),
        corrections=tuple(
            Correction(_date(c["date"]), c["note"]) for c in d.get("corrections", [])
        ),
    )


def _build_topic(r: RecordFile, d: dict[str, Any]) -> Topic:
    return Topic(d["id"], d["title"], r.rel, _text(d, "description"))


def _build_briefing(r: RecordFile, d: dict[str, Any]) -> Briefing:
    return Briefing(
        id=d["id"],
        title=d["title"],
        publisher=d["publisher"],
        published=_date(d["published"]),
        path=r.rel,
        url=d.get("url"),
        archived_url=d.get("archived_url"),
        language=d.get("language"),
        text=d.get("text"),
        notes=d.get("notes"),
    )


_BUILD = {
    "actor": _build_actor,
    "topic": _build_topic,
    "statement": _build_statement,
    "briefing": _build_briefing,
}

#: The models of one `assemble` call, kept for the next, by record (kind and path): a model
#: is reused only for the very same checked result (cache.Memory makes it so, `identical`).
Models = Reuse[tuple[str, str], Any]


def assemble(usable: list[RecordFile], made: Models) -> tuple[Archive, dict[str, RecordFile]]:
    """The archive of `usable` (checked) records, and each statement's record by its id.

    `made` holds the models of the previous call (cache.Memory keeps it between runs), and
    keeps this call's: a record whose checked result is the very same object as last
    call's (same file, same bytes) gets the same model object, so that `serve` rebuilds
    compare pages by identity rather than field by field.
    """
    models: dict[str, list[Any]] = defaultdict(list)
    statement_records: dict[str, RecordFile] = {}
    made.begin()
    for r in usable:
        assert r.checked is not None and r.checked.fields is not None
        make = functools.partial(_BUILD[r.kind], r, r.checked.fields)
        model: Any = made.get((r.kind, r.rel), r.checked, make)
        models[r.kind].append(model)
        if r.kind == "statement":
            statement_records[model.id] = r
    made.end()
    archive = Archive(
        actors=_by_id(models["actor"]),
        topics=_by_id(models["topic"]),
        statements=_by_id(models["statement"]),
        briefings=_by_id(models["briefing"]),
    )
    return archive, statement_records


def _by_id(items: Iterable[Any]) -> dict[str, Any]:
    return {item.id: item for item in sorted(items, key=lambda item: item.id)}
