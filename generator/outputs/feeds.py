"""Atom feeds of the newest statements: the whole archive, per actor, topic and publisher.

Pure: no I/O, no MkDocs; each function returns the bytes of one Atom document (UTF-8, with
an XML declaration, written by `atom.py`) for the plugin to write at the URL `*_feed_url`
gives. Entries are ordered newest first, then by id; each is short (title, summary, link,
actors, topics: see `atom.py`), so that a reader sees what is new and follows the link.

`all_feeds` writes a feed for an actor, topic or publisher only when it has statements, and
pages advertise a feed only then (`paging.profile_pages`): an empty feed tells a subscriber
nothing, and a large archive has many actors that only appear in the odd statement.

Feeds need an absolute site URL (Atom ids and links must be absolute IRIs): pass mkdocs.yml's
`site_url`; without one, skip the feeds. Page templates can advertise a feed with
`<link rel="alternate" type="application/atom+xml" title="..." href="...">`: see
`feed_link`.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from generator.outputs.atom import ATOM_TYPE, atom_feed, check_site_url, corrections_atom
from generator.outputs.citations import SITE_NAME
from generator.pages.corrections import CORRECTIONS_URL, all_corrections
from generator.pages.urls import actor_url, publisher_url, topic_url

# The site's one slug function and publisher list, re-exported: feeds and pages must agree.
from generator.pages.urls import publisher_slug as publisher_slug
from generator.pages.urls import publishers as publishers
from generator.records.model import Archive, Statement
from generator.reuse import Reuse

#: Entries of the feed of the whole archive: a reader polls it every few hours or days and
#: only needs what is new since, and 50 covers days of a busy archive.
MAX_ENTRIES = 50
#: Entries of an actor's, topic's or publisher's feed: each gets a small share of the
#: archive's statements, so 20 cover at least as long a time as the archive feed's 50,
#: and an archive has thousands of these feeds.
MAX_RECORD_ENTRIES = 20


# --- URLs -----------------------------------------------------------------------------------


def archive_feed_url() -> str:
    """Site-relative URL of the feed of every statement."""
    return "feed.xml"


def corrections_feed_url() -> str:
    """Site-relative URL of the feed of corrections, beside the corrections page."""
    return CORRECTIONS_URL + "feed.xml"


#: The corrections feed's title and subtitle (`str.format` of `site` and `n`).
CORRECTIONS_TITLE = "{site}: corrections"
CORRECTIONS_SUBTITLE = "The {n} newest corrections to statements in {site}."


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
    name, the topic's title, the publisher's name) and `n` (`limit`, its number of entries).
    """

    url: Callable[[str], str]
    page: Callable[[str], str]
    title: str
    subtitle: str
    limit: int = MAX_RECORD_ENTRIES


_KINDS: Mapping[str, _Kind] = {
    "archive": _Kind(
        lambda _: archive_feed_url(),
        lambda _: "",
        "{site}: newest statements",
        "The {n} newest statements in {site}.",
        MAX_ENTRIES,
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
    if kind == "corrections":
        return FeedLink(corrections_feed_url(), CORRECTIONS_TITLE.format(site=site_name))
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


def _kind_feed(
    archive: Archive,
    kind: str,
    record_id: str,
    name: str,
    mine: Iterable[Statement],
    site_url: str,
    site_name: str,
    reuse: Reuse[str, bytes] | None = None,
) -> bytes:
    check_site_url(site_url)
    spec = _KINDS[kind]
    entries = newest(mine, spec.limit)
    url, page = spec.url(record_id), spec.page(record_id)
    title = spec.title.format(site=site_name, name=name, n=spec.limit)
    subtitle = spec.subtitle.format(site=site_name, name=name, n=spec.limit)
    make = functools.partial(
        atom_feed, archive, entries, site_url=site_url, site_name=site_name, url=url,
        page=page, title=title, subtitle=subtitle,
    )  # fmt: skip
    made_from = (tuple(entries), site_url, site_name, page, title, subtitle)
    return (Reuse() if reuse is None else reuse).get(url, made_from, make)


def archive_feed(archive: Archive, site_url: str, site_name: str = SITE_NAME) -> bytes:
    """The newest statements of the whole archive, for `/feed.xml`."""
    statements = archive.statements.values()
    return _kind_feed(archive, "archive", "", "", statements, site_url, site_name)


def corrections_feed(
    archive: Archive,
    site_url: str,
    site_name: str = SITE_NAME,
    reuse: Reuse[str, bytes] | None = None,
) -> bytes:
    """The newest corrections (`MAX_ENTRIES`), for `corrections/feed.xml`.

    Written even before the first correction: subscribing to it is a way to wait for one.
    """
    check_site_url(site_url)
    entries = all_corrections(archive)[:MAX_ENTRIES]
    url = corrections_feed_url()
    title = CORRECTIONS_TITLE.format(site=site_name)
    subtitle = CORRECTIONS_SUBTITLE.format(site=site_name, n=MAX_ENTRIES)

    make = functools.partial(
        corrections_atom, entries, site_url=site_url, site_name=site_name, url=url,
        page=CORRECTIONS_URL, title=title, subtitle=subtitle,
    )  # fmt: skip
    return (Reuse() if reuse is None else reuse).get(url, (entries, site_url, site_name), make)


def all_feeds(
    archive: Archive,
    site_url: str,
    site_name: str = SITE_NAME,
    reuse: Reuse[str, bytes] | None = None,
) -> dict[str, bytes]:
    """Every feed keyed by its site-relative path: one for the archive, and one for each
    actor, topic and publisher that has statements. What the plugin writes into the site
    directory.

    Groups the statements in one pass, not one pass per actor (an archive may have
    thousands). An actor's feed holds the statements they made (not those that only mention
    them: it follows what they say); a publisher's, those it reported, in a source or as the
    briefing. With `reuse` (passed to the previous call too), a feed is reused when its
    entries (compared by value) and its titles are the same; any change to the actors,
    topics or briefings, which entries show, rebuilds every feed.
    """
    if reuse is not None:
        reuse.begin((archive.actors, archive.topics, archive.briefings))
    feeds = _all_feeds(archive, site_url, site_name, reuse)
    if reuse is not None:
        reuse.end()  # deleted actors' feeds go
    return feeds


def _all_feeds(
    archive: Archive, site_url: str, site_name: str, reuse: Reuse[str, bytes] | None
) -> dict[str, bytes]:
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
    statements = archive.statements.values()
    feeds = {
        archive_feed_url(): _kind_feed(
            archive, "archive", "", "", statements, site_url, site_name, reuse
        ),
        corrections_feed_url(): corrections_feed(archive, site_url, site_name, reuse),
    }
    groups = (
        ("actor", by_actor, {a: _name("actor", a, archive) for a in archive.actors}),
        ("topic", by_topic, {t: _name("topic", t, archive) for t in archive.topics}),
        ("publisher", by_publisher, publishers(archive)),
    )
    for kind, grouped, names in groups:
        for record_id, name in names.items():
            mine = grouped.get(record_id)
            if not mine:  # no statements, no feed (nor a link to one: paging.profile_pages)
                continue
            feeds[_KINDS[kind].url(record_id)] = _kind_feed(
                archive, kind, record_id, name, mine, site_url, site_name, reuse
            )
    return feeds
