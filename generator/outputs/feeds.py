"""Atom feeds of the newest statements: the whole archive, per actor, topic and publisher.

Pure: no I/O, no MkDocs; each function returns the bytes of one Atom document (UTF-8, with
an XML declaration, written by `atom.py`) for the plugin to write at the URL `*_feed_url`
gives. Entries are ordered newest first, then by id.

Feeds need an absolute site URL (Atom ids and links must be absolute IRIs): pass mkdocs.yml's
`site_url`; without one, skip the feeds. Page templates can advertise a feed with
`<link rel="alternate" type="application/atom+xml" title="..." href="...">`: see
`feed_link`.
"""

from __future__ import annotations

import contextvars
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from generator.outputs.atom import ATOM_TYPE, atom_feed, check_site_url
from generator.outputs.citations import SITE_NAME
from generator.pages.urls import actor_url, publisher_url, topic_url

# The site's one slug function and publisher list, re-exported: feeds and pages must agree.
from generator.pages.urls import publisher_slug as publisher_slug
from generator.pages.urls import publishers as publishers
from generator.records.model import Archive, Statement

#: Entries per feed: readers only need what is new, and a short feed stays small.
MAX_ENTRIES = 50


# --- URLs -----------------------------------------------------------------------------------


def archive_feed_url() -> str:
    """Site-relative URL of the feed of every statement."""
    return "feed.xml"


def actor_feed_url(actor_id: str) -> str:
    """Site-relative URL of an actor's feed, beside the actor's page."""
    return actor_url(actor_id) + "feed.xml"


def topic_feed_url(topic_id: str) -> str:
    """Site-relative URL of a topic's feed, beside the topic's page."""
    return topic_url(topic_id) + "feed.xml"


def publisher_feed_url(slug: str) -> str:
    """Site-relative URL of a publisher's feed, beside the publisher's page."""
    return publisher_url(slug) + "feed.xml"


@dataclass(frozen=True, slots=True)
class FeedLink:
    """What a page's `<link rel="alternate" type="application/atom+xml">` needs.

    `url` is site-relative (no leading slash), like every URL in site.py; `title` is plain
    text, to be escaped by the template.
    """

    url: str
    title: str
    type: str = ATOM_TYPE


@dataclass(frozen=True, slots=True)
class _Kind:
    """One kind of feed: its URL and page from the record's id, its title and subtitle.

    The titles are `str.format` templates of `site` (the site's name), `name` (the actor's
    name, the topic's title, the publisher's name) and `n` (MAX_ENTRIES).
    """

    url: Callable[[str], str]
    page: Callable[[str], str]
    title: str
    subtitle: str


_KINDS: Mapping[str, _Kind] = {
    "archive": _Kind(
        lambda _: archive_feed_url(),
        lambda _: "",
        "{site}: newest statements",
        "The {n} newest statements in {site}.",
    ),
    "actor": _Kind(
        actor_feed_url,
        actor_url,
        "{site}: statements by {name}",
        "The newest statements by {name} in {site}.",
    ),
    "topic": _Kind(
        topic_feed_url,
        topic_url,
        "{site}: statements on {name}",
        "The newest statements on {name} in {site}.",
    ),
    "publisher": _Kind(
        publisher_feed_url,
        publisher_url,
        "{site}: statements reported by {name}",
        "The newest statements in {site} reported by {name}.",
    ),
}


def _name(
    kind: str, record_id: str, archive: Archive, names: Mapping[str, str] | None = None
) -> str:
    """How a feed's title names its actor, topic or publisher (the id when unknown)."""
    if kind == "actor":
        actor = archive.actors.get(record_id)
        return actor.name if actor else record_id
    if kind == "topic":
        topic = archive.topics.get(record_id)
        return topic.title if topic else record_id
    return (publishers(archive) if names is None else names).get(record_id, record_id)


def feed_link(
    kind: str,
    record_id: str | None,
    archive: Archive,
    site_name: str = SITE_NAME,
    names: Mapping[str, str] | None = None,
) -> FeedLink:
    """The feed a page should advertise: kind is `archive`, `actor`, `topic` or `publisher`.

    `record_id` is the actor or topic id, or the publisher slug; None for `archive`.
    `names` is `publishers(archive)` when the caller has it: computing it goes through
    every source, too slow to repeat for each of a thousand publisher pages.
    """
    if kind == "archive":
        return FeedLink(archive_feed_url(), _KINDS[kind].title.format(site=site_name))
    if record_id is None:
        raise ValueError(f"a {kind} feed needs an id")
    if kind not in _KINDS:
        raise ValueError(f"unknown feed kind {kind!r}")
    name = _name(kind, record_id, archive, names)
    spec = _KINDS[kind]
    return FeedLink(spec.url(record_id), spec.title.format(site=site_name, name=name))


# --- Selections -----------------------------------------------------------------------------


def newest(statements: Iterable[Statement], limit: int = MAX_ENTRIES) -> list[Statement]:
    """The `limit` newest statements: by date descending, then id ascending (a total order)."""
    by_id = sorted(statements, key=lambda s: s.id)
    # Stable sort: same-day statements keep id order.
    return sorted(by_id, key=lambda s: s.date, reverse=True)[:limit]


# --- Building -------------------------------------------------------------------------------


def _feed(
    archive: Archive,
    statements: Iterable[Statement],
    *,
    site_url: str,
    site_name: str,
    url: str,
    page: str,
    title: str,
    subtitle: str,
) -> bytes:
    check_site_url(site_url)
    entries = newest(statements)
    memo = _MEMO.get()
    key = (tuple(entries), site_url, site_name, page, title, subtitle)
    if memo is not None and (kept := memo.get(url)) is not None and kept[0] == key:
        return kept[1]
    data = atom_feed(
        archive,
        entries,
        site_url=site_url,
        site_name=site_name,
        url=url,
        page=page,
        title=title,
        subtitle=subtitle,
    )
    if memo is not None:
        memo[url] = (key, data)
    return data


def _kind_feed(
    archive: Archive,
    kind: str,
    record_id: str,
    name: str,
    mine: Iterable[Statement],
    site_url: str,
    site_name: str,
) -> bytes:
    spec = _KINDS[kind]
    return _feed(
        archive,
        mine,
        site_url=site_url,
        site_name=site_name,
        url=spec.url(record_id),
        page=spec.page(record_id),
        title=spec.title.format(site=site_name, name=name, n=MAX_ENTRIES),
        subtitle=spec.subtitle.format(site=site_name, name=name, n=MAX_ENTRIES),
    )


def archive_feed(archive: Archive, site_url: str, site_name: str = SITE_NAME) -> bytes:
    """The newest statements of the whole archive, for `/feed.xml`."""
    statements = archive.statements.values()
    return _kind_feed(archive, "archive", "", "", statements, site_url, site_name)


class FeedCache:
    """The feeds of the previous `all_feeds` call, for `serve` rebuilds.

    A feed is reused when its entries (the newest statements it lists, compared by value)
    and its titles are the same. Entries also show actor names, topic titles and sources,
    so any change to the actors, topics or briefings rebuilds every feed.
    """

    def __init__(self) -> None:
        self.dependencies: tuple[object, ...] | None = None
        self.feeds: dict[str, tuple[object, bytes]] = {}


_MEMO: contextvars.ContextVar[dict[str, tuple[object, bytes]] | None] = contextvars.ContextVar(
    "briefing_feed_memo", default=None
)


def all_feeds(
    archive: Archive, site_url: str, site_name: str = SITE_NAME, cache: FeedCache | None = None
) -> dict[str, bytes]:
    """Every feed keyed by its site-relative path: one for the archive, each actor, each
    topic and each publisher. What the plugin writes into the site directory.

    Groups the statements in one pass, not one pass per actor (an archive may have
    thousands). An actor's feed holds the statements they made (not those that only mention
    them: it follows what they say); a publisher's, those it reported, in a source or as the
    briefing. With `cache`, feeds whose entries did not change since the previous call are
    reused.
    """
    if cache is None:
        return _all_feeds(archive, site_url, site_name)
    dependencies = (archive.actors, archive.topics, archive.briefings)
    if dependencies != cache.dependencies:
        cache.feeds = {}
    memo: dict[str, tuple[object, bytes]] = {}
    previous = cache.feeds
    token = _MEMO.set(previous)
    try:
        feeds = _all_feeds(archive, site_url, site_name)
    finally:
        _MEMO.reset(token)
    for url in feeds:  # keep only what this call produced: deleted actors' feeds go
        if url in previous:
            memo[url] = previous[url]
    cache.dependencies, cache.feeds = dependencies, memo
    return feeds


def _all_feeds(archive: Archive, site_url: str, site_name: str) -> dict[str, bytes]:
    by_actor: defaultdict[str, list[Statement]] = defaultdict(list)
    by_topic: defaultdict[str, list[Statement]] = defaultdict(list)
    by_publisher: defaultdict[str, list[Statement]] = defaultdict(list)
    for statement in archive.statements.values():
        for actor_id in set(statement.actors):
            by_actor[actor_id].append(statement)
        for topic_id in set(statement.topics):
            by_topic[topic_id].append(statement)
        for slug in {publisher_slug(src.publisher) for src in archive.sources_of(statement)}:
            by_publisher[slug].append(statement)
    feeds = {archive_feed_url(): archive_feed(archive, site_url, site_name)}
    groups = (
        ("actor", by_actor, {a: _name("actor", a, archive) for a in archive.actors}),
        ("topic", by_topic, {t: _name("topic", t, archive) for t in archive.topics}),
        ("publisher", by_publisher, publishers(archive)),
    )
    for kind, grouped, names in groups:
        for record_id, name in names.items():
            mine = grouped.get(record_id, [])
            feeds[_KINDS[kind].url(record_id)] = _kind_feed(
                archive, kind, record_id, name, mine, site_url, site_name
            )
    return feeds
