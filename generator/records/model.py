"""The archive's records as frozen dataclasses.

This module does no I/O: `validate.py` builds these objects from loaded YAML, and
`site.py` / `render.py` read them. Every record keeps the path of the file it came
from (relative to the content folder, POSIX separators) so that pages can link to
the YAML file an editor should change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Name:
    """A name of an actor in one language (e.g. Чжан Ханьхуэй / ru)."""

    name: str
    lang: str


@dataclass(frozen=True, slots=True)
class Role:
    """A position an actor held; open-ended when `end` is None."""

    title: str
    organization: str | None = None
    start: dt.date | None = None  # YAML field `from`
    end: dt.date | None = None  # YAML field `to`

    def covers(self, day: dt.date) -> bool:
        """True when the role was held on `day` (both ends inclusive)."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Links:
    """External identifiers of an actor."""

    wikidata: str | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """A person, an organization or a state."""

    id: str
    name: str
    kind: str
    path: str
    names: tuple[Name, ...] = ()
    country: str | None = None
    roles: tuple[Role, ...] = ()
    description: str | None = None
    links: Links = field(default_factory=Links)

    def roles_on(self, day: dt.date) -> tuple[Role, ...]:
        """The roles this actor held on `day`."""
        return tuple(role for role in self.roles if role.covers(day))


@dataclass(frozen=True, slots=True)
class Topic:
    """A subject that statements are filed under."""

    id: str
    title: str
    path: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """Where a statement was reported."""

    title: str
    publisher: str
    published: dt.date
    url: str | None = None
    archived_url: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """Verbatim words only; paraphrase belongs in `Statement.summary`."""

    text: str
    lang: str
    original: str | None = None
    original_lang: str | None = None
    translated_by: str | None = None


@dataclass(frozen=True, slots=True)
class Correction:
    """A change made to a statement's record after it was published, and the day it was made."""

    date: dt.date
    note: str


@dataclass(frozen=True, slots=True)
class Briefing:
    """A source document (news briefing, transcript) that statements are drawn from."""

    id: str
    title: str
    publisher: str
    published: dt.date
    path: str
    url: str | None = None
    archived_url: str | None = None
    language: str | None = None
    text: str | None = None
    notes: str | None = None

    def as_source(self) -> Source:
        """The briefing seen as a statement's source."""
        return Source(
            title=self.title,
            publisher=self.publisher,
            published=self.published,
            url=self.url,
            archived_url=self.archived_url,
        )


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement: who said what, when and where, and who reported it."""

    id: str
    date: dt.date
    actors: tuple[str, ...]
    title: str
    kind: str
    summary: str
    path: str
    sources: tuple[Source, ...] = ()
    briefing: str | None = None
    briefing_order: int | None = None
    venue: str | None = None
    location: str | None = None
    quotes: tuple[Quote, ...] = ()
    topics: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    date_note: str | None = None
    notes: str | None = None
    #: "draft" keeps the statement out of the built site (generator/records/publish.py).
    status: str = "published"
    #: In the record's order; pages and feeds show them newest first.
    corrections: tuple[Correction, ...] = ()


@dataclass(frozen=True, slots=True)
class Archive:
    """Every record, keyed by id. Mappings iterate in id order."""

    actors: Mapping[str, Actor]
    topics: Mapping[str, Topic]
    statements: Mapping[str, Statement]
    briefings: Mapping[str, Briefing]
    #: The day each record last changed in the repository's history, by record path
    #: (records/history.py); empty when the history is not known (no git, a shallow clone).
    changed: Mapping[str, dt.date] = field(default_factory=dict)

    def sources_of(self, statement: Statement) -> tuple[Source, ...]:
        """The statement's sources, its briefing (if any) first."""
        if statement.briefing and statement.briefing in self.briefings:
            return (self.briefings[statement.briefing].as_source(), *statement.sources)
        return statement.sources
